package io.livedesk.speech.client;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where remote speech nodes are and how patient to be with them.
 *
 * @param url            WebSocket URL for every language; {@code {language}} in it is replaced by
 *                       the stream's language (e.g. {@code ws://speech:2700/{language}} for a
 *                       LiveDesk node). Empty: only the languages in {@code urls}.
 * @param urls           per-language URLs, winning over {@code url} (e.g. one vosk-server per model)
 * @param connectTimeout the WebSocket handshake must finish within this
 * @param replyTimeout   audio or eof sent and no reply for this long: the stream fails
 * @param sendBatch      audio is sent in frames of about this much (vosk-server answers every frame)
 * @param threads        threads that connect, send and deliver events
 * @param maxStreams     streams open at once through this service
 * @param queueLimit     audio that may wait for its reply; a stream past it is shed (the node is not keeping up)
 */
public record RemoteSettings(String url, Map<String, String> urls, Duration connectTimeout, Duration replyTimeout,
                             Duration sendBatch, int threads, int maxStreams, Duration queueLimit) {

    public RemoteSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(replyTimeout, "replyTimeout");
        Objects.requireNonNull(sendBatch, "sendBatch");
        Objects.requireNonNull(queueLimit, "queueLimit");
        urls = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(urls, "urls")));
        if (url.isBlank() && urls.isEmpty()) {
            throw new IllegalArgumentException("remote speech needs a url or per-language urls");
        }
        if (!url.isBlank()) {
            checkUrl(url);
        }
        urls.values().forEach(RemoteSettings::checkUrl);
        if (threads < 1 || maxStreams < 1) {
            throw new IllegalArgumentException("threads and maxStreams must be positive");
        }
        if (sendBatch.toMillis() < 10 || sendBatch.toMillis() > 1000) {
            throw new IllegalArgumentException("sendBatch outside 10 ms..1 s: " + sendBatch);
        }
        if (queueLimit.compareTo(sendBatch.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("queueLimit must hold at least two batches: " + queueLimit);
        }
    }

    private static void checkUrl(String u) {
        URI uri;
        try {
            uri = URI.create(u.replace("{language}", "xx"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + u, e);
        }
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("speech URL must be ws:// or wss://, got " + u);
        }
    }

    /** 5 s to connect, 10 s for a reply, 100 ms frames, 4 threads, 200 streams, 5 s of queue. */
    public static RemoteSettings of(String url) {
        return new RemoteSettings(url, Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(100),
                4, 200, Duration.ofSeconds(5));
    }

    /** The URL for a language, or null if none is configured for it. */
    public URI urlFor(String language) {
        String u = urls.get(language);
        if (u == null && !url.isBlank()) {
            u = url;
        }
        return u == null ? null : URI.create(u.replace("{language}", language));
    }

    public RemoteSettings withReplyTimeout(Duration timeout) {
        return new RemoteSettings(url, urls, connectTimeout, timeout, sendBatch, threads, maxStreams, queueLimit);
    }

    public RemoteSettings withConnectTimeout(Duration timeout) {
        return new RemoteSettings(url, urls, timeout, replyTimeout, sendBatch, threads, maxStreams, queueLimit);
    }
}
