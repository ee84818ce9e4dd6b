package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.rtp.RtcpCompound;
import io.livedesk.media.rtp.RtcpKind;
import io.livedesk.media.rtp.RtcpPacket;
import io.livedesk.media.sdp.MediaSection;
import io.livedesk.media.sdp.SdpParser;
import io.livedesk.media.transport.PacketBuffer;
import io.livedesk.media.transport.SrtpKeys;
import io.livedesk.media.transport.SrtpSession;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.testkit.peer.SyntheticPeer;
import io.livedesk.testkit.ws.WsClient;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.jitsi.srtp.SrtpErrorStatus;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A browser page without a browser, for signaling's tests on a real bridge: it offers a {@link BrowserOffer} on
 * testkit's {@link SyntheticPeer} (real ICE and DTLS on a loopback socket), connects to the bridge its answer
 * names, and speaks SRTP with the exported keys. The RTP it sends carries its {@code tag} in the first bytes of
 * the payload, so a receiver counts by sender whatever SSRC the packet claims; it also counts the keyframe
 * requests (PLI, FIR) it is sent.
 */
public final class SyntheticBrowser implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final int tag;
    private final SyntheticPeer peer;
    private final Object srtpLock = new Object();
    private SrtpSession srtp;
    private int sequence;
    private final Map<Integer, AtomicLong> receivedByTag = new ConcurrentHashMap<>();
    private final AtomicLong keyframeRequests = new AtomicLong();

    public SyntheticBrowser(String name, int tag) throws java.net.SocketException {
        this.tag = tag;
        this.peer = new SyntheticPeer(name, this::onPacket);
    }

    /** The page's offer, on this browser's transport. */
    String offer(BrowserOffer page) {
        return page.withTransport(peer.ufrag(), new BrowserOffer.Transport(peer.pwd(), peer.fingerprint(), peer.port()))
                .sdp();
    }

    /** ICE and DTLS with the bridge the answer names (its first section's credentials and candidate). */
    void connect(String answer) throws Exception {
        var sdp = new SdpParser().parse(answer);
        MediaSection first = sdp.media().get(0);
        var candidate = first.candidates().get(0);
        // An ICE-lite bridge (a=ice-lite) answers checks and sends none.
        boolean lite = sdp.otherAttributes().stream().anyMatch(a -> a.name().equals("ice-lite"));
        byte[] material = peer.connect(first.ice().ufrag(), first.ice().pwd(),
                new InetSocketAddress(candidate.address(), candidate.port()), lite, CONNECT_TIMEOUT,
                SrtpKeys.MATERIAL_LENGTH, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        SrtpKeys keys = SrtpKeys.fromExportedMaterial(material);
        synchronized (srtpLock) {
            // The DTLS client's view: it sends with the client half, which the bridge reads.
            srtp = new SrtpSession(new SrtpKeys(keys.serverKey(), keys.serverSalt(), keys.clientKey(), keys.clientSalt()),
                    "synthetic-browser-" + tag);
        }
    }

    /**
     * A livestream viewer's page on {@code viewer}'s signed-in session, as the viewer page does it: joins the
     * broadcast, offers receive-only audio and video ({@link BrowserOffer#receiveOnly}, SSRCs from {@code tag}) with
     * {@code broadcast.signal} and connects to the bridge the answer names.
     */
    public static SyntheticBrowser watching(WsClient viewer, String broadcastId, String name, int tag) throws Exception {
        SyntheticBrowser page = new SyntheticBrowser(name, tag);
        try {
            viewer.requestOk(Map.of("type", "broadcast.join", "broadcastId", broadcastId));
            viewer.requestOk(Map.of("type", "broadcast.signal", "broadcastId", broadcastId,
                    "sdp", Map.of("type", "offer", "sdp", page.offer(BrowserOffer.receiveOnly("unused", tag)))));
            JsonNode answer = viewer.await(m -> "broadcast.signal".equals(WsClient.type(m))
                    && "answer".equals(m.path("sdp").path("type").asText()), CONNECT_TIMEOUT);
            page.connect(answer.path("sdp").path("sdp").asText());
            return page;
        } catch (Exception | AssertionError e) {
            page.close();
            throw e;
        }
    }

    /** Sends one RTP packet on {@code ssrc}, SRTP-protected, its payload starting with this browser's tag. */
    void sendRtp(long ssrc, int payloadType) throws Exception {
        byte[] wire;
        synchronized (srtpLock) {
            int seq = ++sequence;
            ByteBuffer rtp = ByteBuffer.allocate(12 + 100).put((byte) 0x80).put((byte) payloadType).putShort((short) seq)
                    .putInt(seq * 960).putInt((int) ssrc).putInt(tag);
            PacketBuffer p = PacketBuffer.copyOf(rtp.array(), 0, rtp.capacity(), SrtpSession.MAX_PROTECTION_OVERHEAD);
            if (srtp.protectRtp(p) != SrtpErrorStatus.OK) {
                throw new IllegalStateException("SRTP protect failed");
            }
            wire = Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
        }
        peer.send(wire);
    }

    /** Sends one RTP packet with this payload (e.g. Opus) on {@code ssrc}, SRTP-protected, numbered in turn. */
    void sendRtp(long ssrc, int payloadType, int timestamp, byte[] payload) throws Exception {
        byte[] wire;
        synchronized (srtpLock) {
            int seq = ++sequence;
            ByteBuffer rtp = ByteBuffer.allocate(12 + payload.length).put((byte) 0x80).put((byte) payloadType)
                    .putShort((short) seq).putInt(timestamp).putInt((int) ssrc).put(payload);
            PacketBuffer p = PacketBuffer.copyOf(rtp.array(), 0, rtp.capacity(), SrtpSession.MAX_PROTECTION_OVERHEAD);
            if (srtp.protectRtp(p) != SrtpErrorStatus.OK) {
                throw new IllegalStateException("SRTP protect failed");
            }
            wire = Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
        }
        peer.send(wire);
    }

    /** Authentic RTP received that the browser tagged {@code fromTag} sent. */
    long receivedFrom(int fromTag) {
        AtomicLong n = receivedByTag.get(fromTag);
        return n == null ? 0 : n.get();
    }

    /** Authentic RTP received from anyone. */
    public long received() {
        return receivedByTag.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long keyframeRequests() {
        return keyframeRequests.get();
    }

    private void onPacket(byte[] packet) {
        boolean rtcp = (packet[1] & 0x7F) >= 64 && (packet[1] & 0x7F) <= 95;
        PacketBuffer p = new PacketBuffer(packet, 0, packet.length);
        synchronized (srtpLock) {
            try {
                if (srtp == null || (rtcp ? srtp.unprotectRtcp(p) : srtp.unprotectRtp(p)) != SrtpErrorStatus.OK) {
                    return;
                }
            } catch (java.security.GeneralSecurityException e) {
                return;
            }
        }
        if (rtcp) {
            countKeyframeRequests(p);
        } else if (p.getLength() >= 16) {
            int from = ByteBuffer.wrap(p.getBuffer(), p.getOffset() + 12, 4).getInt();
            receivedByTag.computeIfAbsent(from, t -> new AtomicLong()).incrementAndGet();
        }
    }

    private void countKeyframeRequests(PacketBuffer p) {
        RtcpCompound compound = new RtcpCompound();
        RtcpPacket packet = new RtcpPacket();
        if (compound.wrap(p.getBuffer(), p.getOffset(), p.getLength())) {
            while (compound.next(packet)) {
                if (packet.kind() == RtcpKind.PLI || packet.kind() == RtcpKind.FIR) {
                    keyframeRequests.incrementAndGet();
                }
            }
        }
    }

    @Override
    public void close() {
        peer.close();
        synchronized (srtpLock) {
            if (srtp != null) {
                srtp.close();
            }
        }
    }
}
