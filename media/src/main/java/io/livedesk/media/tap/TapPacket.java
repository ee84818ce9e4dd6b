package io.livedesk.media.tap;

/**
 * One RTP packet of the tapped audio, copied off the receive thread.
 *
 * @param payload the Opus payload, or null for a packet that carries no Opus (another payload type,
 *                padding only): it still takes its place in the sequence, so it is not taken for loss
 */
record TapPacket(int ssrc, int sequence, int timestamp, long arrivalNanos, byte[] payload) {
}
