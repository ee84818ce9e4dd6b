package io.livedesk.media.transport;

import io.livedesk.media.rtp.PacketKind;
import org.jitsi.srtp.SrtpErrorStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The SRTP half of an endpoint's transport, whatever carries its datagrams: holds the packets that beat the
 * DTLS handshake's end, installs the keys it exported, decrypts what arrives (in place) for the
 * {@link MediaPacketListener} and protects what is sent. Shared by both {@link MediaTransport}s.
 */
final class SrtpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(SrtpEndpoint.class);

    /** SRTP that beats the handshake's end; a few packets were seen, more means something is off. */
    private static final int EARLY_PACKET_LIMIT = 32;
    /**
     * Where each thread protects what it sends: forwarding sends a copy of every packet to every receiver, and a
     * fresh array each time was most of the bridge's allocation. RTP is protected into it from where it lies,
     * RTCP copied in and protected in place. Both transports send it before returning.
     */
    private static final ThreadLocal<PacketBuffer> OUTGOING =
            ThreadLocal.withInitial(() -> new PacketBuffer(new byte[2048], 0, 0));

    private static final MediaPacketListener CLOSED = new MediaPacketListener() {
        @Override
        public void onRtp(byte[] buf, int off, int len) {
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len) {
        }
    };

    private final String id;
    /** Where clear packets go; {@link #CLOSED} once closed, so a closed transport no longer holds the endpoint. */
    private volatile MediaPacketListener listener;
    private final TransportCounters counters;
    private final Object keyLock = new Object();
    /** Copies of SRTP/SRTCP received before keys; guarded by keyLock. */
    private final ArrayDeque<byte[]> earlyPackets = new ArrayDeque<>();
    private volatile SrtpSession srtp;
    private volatile boolean closed;

    SrtpEndpoint(String id, MediaPacketListener listener, TransportCounters counters) {
        this.id = id;
        this.listener = listener;
        this.counters = counters;
    }

    boolean isSecure() {
        return srtp != null;
    }

    /**
     * SRTP or SRTCP that arrived; decrypted in place, so the caller's buffer must be theirs to change until
     * this returns.
     */
    void receive(byte[] buf, int off, int len, boolean rtcp) {
        SrtpSession session = srtp;
        if (session == null) {
            synchronized (keyLock) {
                session = srtp;
                if (session == null) {
                    holdUntilKeys(buf, off, len);
                    return;
                }
            }
        }
        unprotectAndDeliver(session, buf, off, len, rtcp);
    }

    /** Called with keyLock held. */
    private void holdUntilKeys(byte[] buf, int off, int len) {
        if (closed || earlyPackets.size() >= EARLY_PACKET_LIMIT) {
            counters.dropped(TransportDrop.TOO_EARLY);
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        earlyPackets.add(copy);
    }

    /** Called on the DTLS thread when the handshake completes. */
    void installKeys(SrtpKeys keys) {
        SrtpSession session = new SrtpSession(keys, SrtpEndpoint.class.getName() + "." + id);
        List<byte[]> held;
        synchronized (keyLock) {
            if (closed) {
                session.close();
                return;
            }
            srtp = session;
            held = new ArrayList<>(earlyPackets);
            earlyPackets.clear();
        }
        log.debug("endpoint {}: SRTP keys installed, {} early packets", id, held.size());
        for (byte[] p : held) {
            unprotectAndDeliver(session, p, 0, p.length, PacketKind.classify(p, 0, p.length) == PacketKind.RTCP);
        }
    }

    /** RTP is unprotected where it lies (no wrapper); RTCP through jitsi-srtp's {@link PacketBuffer}. */
    private void unprotectAndDeliver(SrtpSession session, byte[] buf, int off, int len, boolean rtcp) {
        PacketBuffer rtcpPacket = null;
        int clearLength;
        try {
            if (rtcp) {
                rtcpPacket = new PacketBuffer(buf, off, len);
                SrtpErrorStatus status = session.unprotectRtcp(rtcpPacket);
                if (status != SrtpErrorStatus.OK) {
                    counters.dropped(dropFor(status));
                    return;
                }
                clearLength = rtcpPacket.getLength();
            } else {
                clearLength = session.unprotectRtp(buf, off, len);
                if (clearLength < 0) {
                    counters.dropped(dropFor(SrtpSession.status(clearLength)));
                    return;
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // A RuntimeException here is a context freed by a concurrent close() or a malformed packet.
            counters.dropped(TransportDrop.SRTP_INVALID);
            return;
        }
        try {
            if (rtcp) {
                counters.rtcpIn();
                listener.onRtcp(rtcpPacket.getBuffer(), rtcpPacket.getOffset(), clearLength);
            } else {
                counters.rtpIn();
                listener.onRtp(buf, off, clearLength);
            }
        } catch (RuntimeException e) {
            // Never let a listener bug kill the port's receive thread for every endpoint on it.
            log.error("endpoint {}: media listener failed", id, e);
        }
    }

    private static TransportDrop dropFor(SrtpErrorStatus status) {
        return switch (status) {
            case AUTH_FAIL -> TransportDrop.SRTP_AUTH_FAILED;
            case REPLAY_FAIL, REPLAY_OLD -> TransportDrop.SRTP_REPLAY;
            default -> TransportDrop.SRTP_INVALID;
        };
    }

    /**
     * The packet protected for sending, or null (and counted) when it cannot be: no keys yet, closed, or the
     * SRTP context refused it. The buffer is this thread's, valid until its next protect: send it first.
     */
    PacketBuffer protect(byte[] buf, int off, int len, boolean rtcp) {
        SrtpSession session = srtp;
        if (session == null || closed) {
            counters.dropped(TransportDrop.SEND_FAILED);
            return null;
        }
        PacketBuffer packet = OUTGOING.get();
        try {
            if (rtcp) {
                packet.reuseFor(buf, off, len, SrtpSession.MAX_PROTECTION_OVERHEAD);
                if (session.protectRtcp(packet) != SrtpErrorStatus.OK) {
                    counters.dropped(TransportDrop.SEND_FAILED);
                    return null;
                }
            } else {
                packet.clearFor(len + SrtpSession.MAX_PROTECTION_OVERHEAD);
                int protectedLength = session.protectRtp(buf, off, len, packet.getBuffer(), 0);
                if (protectedLength < 0) {
                    counters.dropped(TransportDrop.SEND_FAILED);
                    return null;
                }
                packet.setLength(protectedLength);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            counters.dropped(TransportDrop.SEND_FAILED);
            return null;
        }
        return packet;
    }

    /** A protected packet went out. */
    void sent(boolean rtcp) {
        if (rtcp) {
            counters.rtcpOut();
        } else {
            counters.rtpOut();
        }
    }

    /** Frees the SRTP contexts; nothing is received or sent after. Idempotent. */
    void close() {
        SrtpSession session;
        synchronized (keyLock) {
            if (closed) {
                return;
            }
            closed = true;
            listener = CLOSED;
            session = srtp;
            srtp = null;
            earlyPackets.clear();
        }
        if (session != null) {
            session.close();
        }
    }

    boolean isClosed() {
        return closed;
    }
}
