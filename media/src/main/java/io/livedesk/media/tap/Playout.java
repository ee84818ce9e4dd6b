package io.livedesk.media.tap;

/**
 * What the {@link PacketSequencer} asks for, in media-time order: the stage that turns packets and gaps
 * into PCM. All durations are samples at 48 kHz (the Opus RTP clock).
 */
interface Playout {
    /** Decodes and delivers one packet; returns the samples it covered, 0 if it carries no audio, -1 if undecodable. */
    int play(TapPacket packet);

    /** Fills {@code samples} of lost audio by Opus PLC, ending with {@code next}'s in-band FEC when it has some. */
    void conceal(int samples, TapPacket next);

    /** Delivers {@code samples} of silence. */
    void silence(int samples);

    /** Advances media time by {@code samples} without delivering anything (a gap beyond the silence cap). */
    void skip(long samples);

    /** A new stream begins (another SSRC, restarted numbering): forget the decoder's state. */
    void reset();
}
