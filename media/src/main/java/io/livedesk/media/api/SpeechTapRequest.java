package io.livedesk.media.api;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Asks a bridge to transcribe one endpoint's audio: decode it (the audio tap) and stream the PCM to speech nodes
 * over the vosk-server protocol. The caller names the speech nodes, so a bridge needs no speech configuration.
 *
 * @param language   the model's language, e.g. {@code en}
 * @param sampleRate what the tap resamples to and the speech nodes are told (the model's rate)
 * @param speechUrls the language's speech nodes, in order of preference ({@code ws://} or {@code wss://}); the stream
 *                   moves to the next when its node fails
 */
public record SpeechTapRequest(MeetingId meetingId, String endpointId, String language, int sampleRate,
                               List<URI> speechUrls) {
    /** More would only be tried one after another; a language rarely has more than a handful of nodes. */
    public static final int MAX_SPEECH_URLS = 8;
    /** Far above any real node address, low enough that a request stays small. */
    public static final int MAX_URL_LENGTH = 512;
    /** A language code or model name as speech nodes take it in their path. */
    public static final Pattern LANGUAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    public static final int MIN_SAMPLE_RATE = 8000;
    public static final int MAX_SAMPLE_RATE = 48000;

    public SpeechTapRequest {
        Objects.requireNonNull(meetingId, "meetingId");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(language, "language");
        speechUrls = List.copyOf(speechUrls);
        if (!LANGUAGE.matcher(language).matches()) {
            throw new IllegalArgumentException("language must match " + LANGUAGE.pattern());
        }
        if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("sample rate outside " + MIN_SAMPLE_RATE + ".." + MAX_SAMPLE_RATE);
        }
        if (speechUrls.isEmpty() || speechUrls.size() > MAX_SPEECH_URLS) {
            throw new IllegalArgumentException("1 to " + MAX_SPEECH_URLS + " speech URLs are needed");
        }
        for (URI u : speechUrls) {
            String problem = urlProblem(u);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
    }

    /** Why {@code url} cannot name a speech node, or null: ws/wss with a host, no user info, no fragment, bounded. */
    public static String urlProblem(URI url) {
        if (url == null) {
            return "a speech URL is missing";
        }
        if (url.toString().length() > MAX_URL_LENGTH) {
            return "a speech URL is longer than " + MAX_URL_LENGTH + " characters";
        }
        if (!"ws".equals(url.getScheme()) && !"wss".equals(url.getScheme())) {
            return "a speech URL must be ws:// or wss://";
        }
        if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawFragment() != null) {
            return "a speech URL needs a host and no user info or fragment";
        }
        return null;
    }
}
