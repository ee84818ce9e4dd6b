package io.livedesk.media.bridge;

/**
 * Sends one sender's RTP, unchanged (SSRCs, sequence numbers and payload types as the sender wrote
 * them: each receiver's SDP lists the sender's SSRCs), to every other endpoint of the conference.
 * Each receiver's transport copies and re-encrypts it with its own keys.
 */
final class RtpForwarder {
    void forward(Endpoint sender, Endpoint[] endpoints, byte[] buf, int off, int len) {
        for (Endpoint receiver : endpoints) {
            if (receiver != sender && receiver.sendRtp(buf, off, len)) {
                receiver.counters.forwardedRtp();
            }
        }
    }
}
