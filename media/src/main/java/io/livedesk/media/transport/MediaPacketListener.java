package io.livedesk.media.transport;

/**
 * Receives an endpoint's decrypted RTP and RTCP. Called on the transport's receive thread;
 * the bytes are only valid during the call (copy to keep them), and the call must not block.
 */
public interface MediaPacketListener {
    void onRtp(byte[] buf, int off, int len);

    void onRtcp(byte[] buf, int off, int len);
}
