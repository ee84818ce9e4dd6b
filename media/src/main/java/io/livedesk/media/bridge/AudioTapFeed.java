package io.livedesk.media.bridge;

import io.livedesk.media.api.MediaType;
import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.tap.AudioTap;

/**
 * Hands a sender's audio to the taps on it, if any. Runs after forwarding, so a tap never delays the
 * other endpoints; each tap copies what it needs and decodes on the tap pool.
 */
final class AudioTapFeed implements RtpStage {
    @Override
    public void onRtp(Endpoint sender, SenderStream stream, RtpPacket packet, long nowNanos) {
        if (stream.type != MediaType.AUDIO) {
            return;
        }
        AudioTap[] taps = sender.audioTaps();
        if (taps != null) {
            for (AudioTap tap : taps) {
                tap.offer(packet, nowNanos);
            }
        }
    }
}
