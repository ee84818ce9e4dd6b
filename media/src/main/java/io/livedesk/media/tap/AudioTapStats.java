package io.livedesk.media.tap;

/**
 * Counters of one tap, or of all taps of a pool ({@link AudioTapPool#totals()}). Packets are RTP
 * packets of the tapped endpoint's audio; frames are what the sink got.
 *
 * @param tapped       packets handed to the tap by the receive path
 * @param dropped      of those, dropped because the tap's queue was full (decoding fell behind)
 * @param ignored      packets not decoded: another payload type than Opus (DTMF, comfort noise),
 *                     or a second audio SSRC while the first is active
 * @param decoded      Opus packets decoded
 * @param decodeErrors malformed Opus payloads, counted and dropped (their time is concealed)
 * @param lost         packets that never arrived, from sequence number gaps
 * @param concealed    of the lost ones, those whose time Opus PLC/FEC filled (short gaps only;
 *                     longer gaps become silence)
 * @param late         duplicates and packets that came after their time had been played
 * @param silenceMs    silence inserted for gaps (DTX, long loss), up to the cap per gap
 * @param sinkErrors   exceptions thrown by the sink
 */
public record AudioTapStats(long tapped, long dropped, long ignored, long decoded, long decodeErrors, long lost,
                            long concealed, long late, long silenceMs, long sinkErrors) {

    public static final AudioTapStats ZERO = new AudioTapStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public AudioTapStats plus(AudioTapStats o) {
        return new AudioTapStats(tapped + o.tapped, dropped + o.dropped, ignored + o.ignored, decoded + o.decoded,
                decodeErrors + o.decodeErrors, lost + o.lost, concealed + o.concealed, late + o.late,
                silenceMs + o.silenceMs, sinkErrors + o.sinkErrors);
    }
}
