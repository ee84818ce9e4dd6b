package io.livedesk.speech.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where remote speech nodes are and how patient to be with them.
 *
 * @param nodes          WebSocket URLs of the speech nodes for every language, in order of preference;
 *                       {@code {language}} in each is replaced by the stream's language (e.g.
 *                       {@code ws://speech-1:2700/{language}} for a LiveDesk node). Empty: only the languages in
 *                       {@code urls}.
 * @param urls           per-language node URLs, winning over {@code nodes} (e.g. vosk-servers with one model each)
 * @param connectTimeout the WebSocket handshake must finish within this
 * @param replyTimeout   audio or eof sent and no reply for this long: the node counts as failed
 * @param sendBatch      audio is sent in frames of about this much (vosk-server answers every frame)
 * @param threads        threads that connect, send and deliver events
 * @param maxStreams     streams open at once through this service
 * @param queueLimit     audio that may wait for its reply; a stream past it is shed (no node keeps up)
 * @param healthInterval how often a node that failed is tried again (a WebSocket handshake); until it answers,
 *                       streams go to the others
 */
public record RemoteSettings(List<String> nodes, Map<String, List<String>> urls, Duration connectTimeout,
                             Duration replyTimeout, Duration sendBatch, int threads, int maxStreams,
                             Duration queueLimit, Duration healthInterval) {
    /** What {@link #of} gives {@code healthInterval}. */
    public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);

    public RemoteSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(replyTimeout, "replyTimeout");
        Objects.requireNonNull(sendBatch, "sendBatch");
        Objects.requireNonNull(queueLimit, "queueLimit");
        Objects.requireNonNull(healthInterval, "healthInterval");
        nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
        Map<String, List<String>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(urls, "urls").forEach((language, list) -> {
            if (!list.isEmpty()) {
                copy.put(language, List.copyOf(list));
            }
        });
        urls = Collections.unmodifiableMap(copy);
        if (nodes.isEmpty() && urls.isEmpty()) {
            throw new IllegalArgumentException("remote speech needs a url or per-language urls");
        }
        nodes.forEach(RemoteSettings::checkUrl);
        urls.values().forEach(list -> list.forEach(RemoteSettings::checkUrl));
        if (threads < 1 || maxStreams < 1) {
            throw new IllegalArgumentException("threads and maxStreams must be positive");
        }
        if (sendBatch.toMillis() < 10 || sendBatch.toMillis() > 1000) {
            throw new IllegalArgumentException("sendBatch outside 10 ms..1 s: " + sendBatch);
        }
        if (queueLimit.compareTo(sendBatch.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("queueLimit must hold at least two batches: " + queueLimit);
        }
        if (healthInterval.isNegative() || healthInterval.isZero()) {
            throw new IllegalArgumentException("healthInterval must be positive: " + healthInterval);
        }
    }

    /** One node URL (or none, blank) for every language, one per language in {@code urls}. */
    public RemoteSettings(String url, Map<String, String> urls, Duration connectTimeout, Duration replyTimeout,
                          Duration sendBatch, int threads, int maxStreams, Duration queueLimit) {
        this(url.isBlank() ? List.of() : List.of(url), single(urls), connectTimeout, replyTimeout, sendBatch, threads,
                maxStreams, queueLimit, DEFAULT_HEALTH_INTERVAL);
    }

    private static Map<String, List<String>> single(Map<String, String> urls) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        urls.forEach((language, u) -> out.put(language, List.of(u)));
        return out;
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

    /** 5 s to connect, 10 s for a reply, 100 ms frames, 4 threads, 200 streams, 5 s of queue, 5 s health checks. */
    public static RemoteSettings of(String url) {
        return new RemoteSettings(url, Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(100),
                4, 200, Duration.ofSeconds(5));
    }

    /** Several nodes for every language, in order of preference; the other settings as {@link #of}. */
    public static RemoteSettings of(List<String> nodes) {
        RemoteSettings d = of(nodes.get(0));
        return new RemoteSettings(nodes, Map.of(), d.connectTimeout, d.replyTimeout, d.sendBatch, d.threads,
                d.maxStreams, d.queueLimit, d.healthInterval);
    }

    /** The node URLs for a language, in order of preference; empty if none is configured for it. */
    public List<URI> urlsFor(String language) {
        List<String> templates = urls.getOrDefault(language, nodes);
        List<URI> out = new ArrayList<>(templates.size());
        for (String t : templates) {
            out.add(URI.create(t.replace("{language}", language)));
        }
        return out;
    }

    /** Every node URL template, for logs and status. */
    public String describe() {
        return (nodes.isEmpty() ? "" : String.join(", ", nodes)) + (urls.isEmpty() ? "" : " " + urls);
    }

    public RemoteSettings withReplyTimeout(Duration timeout) {
        return new RemoteSettings(nodes, urls, connectTimeout, timeout, sendBatch, threads, maxStreams, queueLimit,
                healthInterval);
    }

    public RemoteSettings withConnectTimeout(Duration timeout) {
        return new RemoteSettings(nodes, urls, timeout, replyTimeout, sendBatch, threads, maxStreams, queueLimit,
                healthInterval);
    }

    public RemoteSettings withHealthInterval(Duration interval) {
        return new RemoteSettings(nodes, urls, connectTimeout, replyTimeout, sendBatch, threads, maxStreams, queueLimit,
                interval);
    }
}
