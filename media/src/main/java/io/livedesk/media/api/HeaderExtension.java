package io.livedesk.media.api;

/** An RTP header extension negotiated with {@code a=extmap}. */
public record HeaderExtension(int id, String uri) {
}
