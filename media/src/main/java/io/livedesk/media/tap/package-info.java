/**
 * The bridge's audio tap: each speaker's Opus, decoded to PCM16 mono at the rate a recognizer wants,
 * so transcripts know who said what.
 *
 * <pre>
 *   EndpointReceiver (receive thread, after SSRC routing; audio SSRCs of a tapped endpoint only)
 *     -> AudioTap.offer: copy the payload, bounded queue (full: drop, count), schedule the tap
 *   pool thread "ld-audio-tap-&lt;bridge&gt;-n" (AudioTapPool, shared, bounded):
 *     -> PacketSequencer: order, duplicates/late, loss vs DTX, resync on SSRC/numbering change
 *     -> OpusPlayout: Concentus decode at 48 kHz, PLC/FEC for short loss, silence for gaps (capped)
 *     -> PolyphaseResampler: 48 kHz -> the tap's rate
 *     -> AudioSink.onAudio(pcm, mediaTimeMs)
 * </pre>
 * {@code LocalBridge.tapAudio} opens a tap on an endpoint; it closes when its owner closes it or the
 * endpoint, its conference or the bridge goes away.
 */
package io.livedesk.media.tap;
