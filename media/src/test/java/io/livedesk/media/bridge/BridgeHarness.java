package io.livedesk.media.bridge;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.PayloadType;
import io.livedesk.media.transport.MediaPacketListener;
import io.livedesk.media.transport.PacketBuffer;
import io.livedesk.media.transport.SrtpKeys;
import io.livedesk.media.transport.SrtpSession;
import org.jitsi.srtp.SrtpErrorStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A real {@link LocalBridge} whose endpoints are "browsers" with SRTP keyed as after DTLS (as the
 * forwarding benchmark does it): a browser protects RTP with its half of the keys, the bridge's
 * session for that endpoint unprotects it as {@code EndpointTransport} does, and the endpoint's real
 * packet listener takes it from there (routing, forwarding, the audio tap). Links are replaced by
 * counters, so forwarded packets are counted instead of sent. In the bridge's package for its
 * package-private seams; public for the audio tap's tests.
 */
public final class BridgeHarness implements AutoCloseable {
    public final String bridgeId;
    public final LocalBridge bridge;
    private final SecureRandom random = new SecureRandom();
    /** Every link the bridge created, in order: join() takes the one it just made. */
    private final List<CountingLink> links = new CopyOnWriteArrayList<>();

    public BridgeHarness(String bridgeId) {
        this.bridgeId = bridgeId;
        UnaryOperator<EndpointLink> counting = real -> {
            CountingLink link = new CountingLink(real);
            links.add(link);
            return link;
        };
        this.bridge = new LocalBridge(BridgeConfig.defaults("127.0.0.1", freeUdpPort()).withId(bridgeId)
                .withWarmUpSrtp(false), System::nanoTime, false, counting);
    }

    /**
     * Creates endpoint {@code id} in {@code meetingId} (and the conference with it if needed), sending
     * audio on {@code audioSsrc}; {@code opusPt} is the Opus payload type it negotiated, or -1 to
     * leave its medias out as signaling does today.
     */
    public Browser join(MeetingId meetingId, String id, int audioSsrc, int opusPt) throws BridgeException {
        List<Media> medias = opusPt < 0 ? List.of() : List.of(new Media(MediaType.AUDIO,
                List.of(new PayloadType(opusPt, "opus", 48000, 2, Map.of("useinbandfec", "1"), List.of())), List.of()));
        List<MediaSource> sources = List.of(new MediaSource(MediaType.AUDIO, id + "-a",
                List.of(new MediaSource.Ssrc(audioSsrc & 0xFFFFFFFFL, id)), List.of()));
        boolean create = !bridge.meetingIds().contains(meetingId);
        bridge.apply((create ? ConferenceRequest.creating(meetingId) : ConferenceRequest.modifying(meetingId)).name(meetingId.value())
                .endpoint(EndpointRequest.creating(id).statsId(id).medias(medias).sources(sources)).build());
        byte[] material = new byte[SrtpKeys.MATERIAL_LENGTH];
        random.nextBytes(material);
        return new Browser(SrtpKeys.fromExportedMaterial(material), bridge.packetListener(meetingId, id),
                links.get(links.size() - 1), meetingId + "." + id);
    }

    public void expireEndpoint(MeetingId meetingId, String id) throws BridgeException {
        bridge.apply(ConferenceRequest.modifying(meetingId).endpoint(EndpointRequest.expiring(id)).build());
    }

    @Override
    public void close() {
        bridge.close();
    }

    /** One endpoint's sending side, and the bridge's SRTP session for it. */
    public static final class Browser {
        private final SrtpSession browserSide;
        private final SrtpSession bridgeSide;
        private final MediaPacketListener listener;
        /** What the bridge forwards to this endpoint. */
        public final CountingLink link;

        Browser(SrtpKeys keys, MediaPacketListener listener, CountingLink link, String name) {
            this.link = link;
            this.bridgeSide = new SrtpSession(keys, "tap-test.bridge." + name);
            this.browserSide = new SrtpSession(
                    new SrtpKeys(keys.serverKey(), keys.serverSalt(), keys.clientKey(), keys.clientSalt()),
                    "tap-test.browser." + name);
            this.listener = listener;
        }

        /** Protects {@code rtp} as the browser would, then has the bridge receive it. */
        public void send(byte[] rtp) {
            PacketBuffer p = PacketBuffer.copyOf(rtp, 0, rtp.length, SrtpSession.MAX_PROTECTION_OVERHEAD);
            try {
                if (browserSide.protectRtp(p) != SrtpErrorStatus.OK) {
                    throw new IllegalStateException("browser could not protect");
                }
                // On the wire now; the bridge's transport receive thread takes over.
                if (bridgeSide.unprotectRtp(p) != SrtpErrorStatus.OK) {
                    throw new IllegalStateException("bridge could not unprotect");
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            listener.onRtp(p.getBuffer(), p.getOffset(), p.getLength());
        }
    }

    private static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
