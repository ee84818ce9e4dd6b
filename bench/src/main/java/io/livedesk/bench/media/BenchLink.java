package io.livedesk.bench.media;

import java.security.GeneralSecurityException;

import io.livedesk.media.bridge.EndpointLink;
import io.livedesk.media.transport.PacketBuffer;
import io.livedesk.media.transport.SrtpSession;
import org.jitsi.srtp.SrtpErrorStatus;

/**
 * The bridge's send path to one synthetic endpoint, as {@code EndpointTransport.send} does it (copy
 * into a fresh {@link PacketBuffer} with room for the tag, SRTP/SRTCP protect with the bridge's keys),
 * ending in an in-memory sink instead of the ICE socket. The sink records the added latency of the
 * packet that triggered the send. Calls are serialised by the bridge's per-endpoint send lock.
 */
final class BenchLink implements EndpointLink {
    private final SyntheticEndpoint owner;
    /** The bridge's real transport link, which this one replaces for media; closed with it. */
    volatile EndpointLink real;
    long rtpSent;
    volatile long rtcpSent;

    BenchLink(SyntheticEndpoint owner) {
        this.owner = owner;
    }

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        PacketBuffer packet = PacketBuffer.copyOf(buf, off, len, SrtpSession.MAX_PROTECTION_OVERHEAD);
        try {
            if (owner.bridgeSide.protectRtp(packet) != SrtpErrorStatus.OK) {
                return false;
            }
        } catch (GeneralSecurityException e) {
            return false;
        }
        rtpSent++;
        Worker worker = owner.worker;
        if (Thread.currentThread() == worker.thread) {
            worker.sent(packet.getLength());
            if (worker.verify) {
                owner.verify(packet);
            }
        }
        return true;
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        PacketBuffer packet = PacketBuffer.copyOf(buf, off, len, SrtpSession.MAX_PROTECTION_OVERHEAD);
        try {
            if (owner.bridgeSide.protectRtcp(packet) != SrtpErrorStatus.OK) {
                return false;
            }
        } catch (GeneralSecurityException e) {
            return false;
        }
        rtcpSent++;
        return true;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public boolean isFailed() {
        return false;
    }

    @Override
    public void close() {
        EndpointLink r = real;
        if (r != null) {
            r.close();
        }
    }
}
