package io.livedesk.media.bridge;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.PayloadType;
import io.livedesk.media.bwe.SendSideEstimator;
import io.livedesk.media.bwe.SentPackets;
import io.livedesk.media.sdp.Extmap;
import io.livedesk.media.sdp.RtpCodec;
import io.livedesk.media.sdp.Simulcast;
import io.livedesk.media.tap.AudioTap;

/**
 * One participant's presence in a conference (mediasoup's Transport with its Producers): its link,
 * the streams it sends, what it told the bridge (REMB, RTT, loss) and its counters. Sending to it
 * goes through {@link #sendRtp}/{@link #sendRtcp}, which count.
 */
final class Endpoint {
    /**
     * Opus payload types assumed until the endpoint's request lists its codecs: the ones the bridge's
     * own codec policy offers (Chromium's 111).
     */
    private static final int[] DEFAULT_OPUS = BridgeCodecPolicy.forForwarding().codecs(MediaType.AUDIO).stream()
            .filter(c -> "opus".equalsIgnoreCase(c.name())).mapToInt(RtpCodec::payloadType).toArray();

    /** Bounds of the send-side estimate: below the floor a receiver still gets the lowest layer anyway. */
    static final long MIN_ESTIMATE_BPS = 100_000;
    static final long MAX_ESTIMATE_BPS = 20_000_000;

    final String id;
    final String statsId;
    /**
     * Whether this is a {@link Relay} to another bridge rather than a participant: it gets every local packet once,
     * and nothing that came from another relay (a full mesh, so the other bridge has its own relay to that one).
     */
    final boolean relay;
    final Conference conference;
    final EndpointCounters counters = new EndpointCounters();
    final EndpointReceiver receiver;

    /**
     * Serialises sends to this endpoint: jitsi-srtp's per-SSRC crypto contexts are not thread-safe,
     * and the bridge's own feedback SSRC is sent from receive threads, the housekeeper and
     * {@code apply}. Uncontended in the common case (one ice4j receive thread forwards everything).
     */
    private final Object sendLock = new Object();
    private volatile EndpointLink link;
    private volatile TransportLink transport;
    private volatile List<SenderStream> streams = List.of();
    /** Primary video SSRCs, for REMB. */
    private volatile int[] videoSsrcs = new int[0];
    /** Its simulcast tracks; rid layers are learned into them from packets. */
    private volatile List<SimulcastSource> simulcasts = List.of();
    /** The height this endpoint shows others' video at (0: it did not say): caps the simulcast layer it gets. */
    private volatile int maxVideoHeight;

    /** Audio taps on this endpoint; null when none, so the receive path pays one volatile read. */
    private volatile AudioTap[] audioTaps;
    /** Guards changes to {@link #audioTaps} and {@link #tapsClosed}. */
    private final Object tapLock = new Object();
    private boolean tapsClosed;
    private volatile int[] opusPayloadTypes = DEFAULT_OPUS;
    /** The ids it negotiated for the rid and repaired-rid header extensions; 0 when none. */
    private volatile int ridExtension;
    private volatile int repairedRidExtension;
    /** The id it negotiated for the transport-wide sequence number; 0 when none (then no feedback either). */
    private volatile int transportCcExtension;
    /** Per payload type, the RTX payload type that repairs it (apt), or 0; learned from its medias. */
    private volatile int[] rtxPayloadTypes = new int[128];
    /** Per RTX payload type, the payload type it repairs, or 0. */
    private volatile int[] repairedPayloadTypes = new int[128];
    /** As a receiver: the next RTX sequence number per RTX SSRC it gets (its own numbering, see NackResponder). */
    private final Map<Integer, int[]> rtxSequences = new HashMap<>();
    final TransportWideFeedback transportFeedback = new TransportWideFeedback();
    /**
     * As a receiver that negotiated transport-cc: the bridge's own transport-wide numbering of what it sends this
     * endpoint (one counter for the endpoint, every stream), matched against its feedback. Made when it first
     * negotiates transport-cc (some 45 kB with the estimator), before the extension id is published; null until.
     */
    volatile SentPackets sentPackets;
    /** As a receiver: the bridge's estimate of its path to this endpoint, from that feedback; null as above. */
    volatile SendSideEstimator sendSide;

    private volatile long lastActivityNanos;
    private final AtomicBoolean secureHandled = new AtomicBoolean();
    private volatile boolean expired;

    private volatile long sendSideAtNanos;
    private volatile long rembBps;
    private volatile long rembAtNanos;
    private volatile long estimateSentBps;
    private volatile double rttMs = -1;
    private volatile double fractionLost = -1;

    // Rates: written by the housekeeper only.
    private long rateBytesIn;
    private long rateBytesOut;
    private long rateAtNanos;
    private volatile long bitrateInBps;
    private volatile long bitrateOutBps;

    Endpoint(String id, String statsId, Conference conference, long nowNanos) {
        this(id, statsId, false, conference, nowNanos);
    }

    Endpoint(String id, String statsId, boolean relay, Conference conference, long nowNanos) {
        this.id = id;
        this.statsId = statsId;
        this.relay = relay;
        this.conference = conference;
        this.lastActivityNanos = nowNanos;
        this.rateAtNanos = nowNanos;
        this.receiver = new EndpointReceiver(this, conference.path);
    }

    void attach(EndpointLink newLink) {
        this.link = newLink;
    }

    /** @param transportLink the real transport behind {@code newLink} (which may wrap it) */
    void attach(EndpointLink newLink, TransportLink transportLink) {
        this.transport = transportLink;
        this.link = newLink;
    }

    /** The ICE/DTLS transport, for signaling operations; null for endpoints on fake links. */
    TransportLink transport() {
        return transport;
    }

    EndpointLink link() {
        return link;
    }

    /** An RTP packet without a transport-wide sequence number element (it goes as it is). */
    boolean sendRtp(byte[] buf, int off, int len) {
        return send(buf, off, len, false, -1);
    }

    /**
     * An RTP packet whose transport-wide sequence number element is at {@code transportWideAt}
     * ({@link TransportWideStamp#locate}, or -1 for none): this endpoint's copy carries the next number of its own
     * transport-wide sequence, recorded with the send time and size, where it negotiated transport-cc; otherwise
     * the element is padding in its copy. Numbered under the send lock, so numbers follow the order packets leave.
     */
    boolean sendRtp(byte[] buf, int off, int len, int transportWideAt) {
        return send(buf, off, len, false, transportWideAt);
    }

    boolean sendRtcp(byte[] buf, int off, int len) {
        return send(buf, off, len, true, -1);
    }

    private boolean send(byte[] buf, int off, int len, boolean rtcp, int transportWideAt) {
        EndpointLink l = link;
        boolean sent;
        if (l == null || expired || !l.isSecure()) {
            sent = false;
        } else {
            synchronized (sendLock) {
                if (rtcp) {
                    sent = l.sendRtcp(buf, off, len);
                } else if (transportWideAt < 0) {
                    sent = l.sendRtp(buf, off, len);
                } else {
                    int saved = TransportWideStamp.save(buf, off, transportWideAt);
                    if (transportCcExtension > 0) {
                        int seq = sentPackets.record(len, conference.context.nanoClock.getAsLong());
                        TransportWideStamp.stamp(buf, off, transportWideAt, transportCcExtension, seq);
                    } else {
                        TransportWideStamp.blank(buf, off, transportWideAt);
                    }
                    sent = l.sendRtp(buf, off, len);
                    TransportWideStamp.restore(buf, off, transportWideAt, saved);
                }
            }
        }
        if (!sent) {
            counters.drop(ForwardingDrop.NOT_CONNECTED);
            return false;
        }
        counters.out(len);
        return true;
    }

    boolean isSecure() {
        EndpointLink l = link;
        return l != null && l.isSecure();
    }

    List<SenderStream> streams() {
        return streams;
    }

    int[] videoSsrcs() {
        return videoSsrcs;
    }

    List<SimulcastSource> simulcasts() {
        return simulcasts;
    }

    void simulcasts(List<SimulcastSource> sources) {
        this.simulcasts = List.copyOf(sources);
    }

    int maxVideoHeight() {
        return maxVideoHeight;
    }

    void maxVideoHeight(int height) {
        this.maxVideoHeight = height;
    }

    /** Called by the conference, under its lock, with the streams already in its SSRC table. */
    void streams(List<SenderStream> newStreams) {
        this.streams = List.copyOf(newStreams);
        this.videoSsrcs = newStreams.stream().filter(SenderStream::isPrimaryVideo).mapToInt(s -> s.ssrc).toArray();
    }

    void active(long nowNanos) {
        lastActivityNanos = nowNanos;
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** True the first time it is called: the endpoint just became able to receive. */
    boolean markSecureHandled() {
        return secureHandled.compareAndSet(false, true);
    }

    void markExpired() {
        expired = true;
    }

    boolean isExpired() {
        return expired;
    }

    void remb(long bps, long nowNanos) {
        rembBps = bps;
        rembAtNanos = nowNanos;
    }

    long rembBps() {
        return rembBps;
    }

    /** Transport-cc feedback messages read into {@link #sendSide} so far. */
    long sendSideFeedbacks() {
        SendSideEstimator estimator = sendSide;
        return estimator == null ? 0 : estimator.feedbacks();
    }

    /** A transport-cc feedback of this receiver was read into {@link #sendSide}. */
    void sendSideFeedback(long nowNanos) {
        sendSideAtNanos = nowNanos;
    }

    /** Whether {@link #sendSide} had feedback lately: then it, not REMB, is this receiver's estimate. */
    boolean hasSendSideEstimate(long nowNanos) {
        return sendSideAtNanos != 0 && nowNanos - sendSideAtNanos < BandwidthEstimator.REMB_FRESH_NANOS;
    }

    /**
     * The bridge's view of its path to this receiver: its send-side estimate where it sends transport-cc feedback,
     * else its fresh REMB as before, else 0.
     */
    long receiveEstimateBps(long nowNanos) {
        if (hasSendSideEstimate(nowNanos)) {
            return sendSide.estimateBps(); // set before any feedback could be read
        }
        return rembBps > 0 && nowNanos - rembAtNanos < BandwidthEstimator.REMB_FRESH_NANOS ? rembBps : 0;
    }

    long rembAtNanos() {
        return rembAtNanos;
    }

    void estimateSent(long bps) {
        estimateSentBps = bps;
    }

    long estimateSentBps() {
        return estimateSentBps;
    }

    void rttMs(double rtt) {
        rttMs = rtt;
    }

    double rttMs() {
        return rttMs;
    }

    void fractionLost(double fraction) {
        fractionLost = fraction;
    }

    double fractionLost() {
        return fractionLost;
    }

    long packetsLost() {
        long lost = 0;
        for (SenderStream s : streams) {
            lost += s.lost();
        }
        return lost;
    }

    /** Housekeeper only: recomputes the bitrates over the time since the last call. */
    void updateRates(long nowNanos) {
        long elapsed = nowNanos - rateAtNanos;
        if (elapsed < 200_000_000L) {
            return;
        }
        long in = counters.bytesIn();
        long out = counters.bytesOut();
        bitrateInBps = (in - rateBytesIn) * 8L * 1_000_000_000L / elapsed;
        bitrateOutBps = (out - rateBytesOut) * 8L * 1_000_000_000L / elapsed;
        rateBytesIn = in;
        rateBytesOut = out;
        rateAtNanos = nowNanos;
    }

    long bitrateInBps() {
        return bitrateInBps;
    }

    long bitrateOutBps() {
        return bitrateOutBps;
    }

    /** Learns the payload types the endpoint negotiated (from its request's medias); others keep the default. */
    void medias(List<Media> medias) {
        int[] opus = medias.stream().filter(m -> m.type() == MediaType.AUDIO)
                .flatMap(m -> m.payloadTypes().stream())
                .filter(pt -> "opus".equalsIgnoreCase(pt.name())).mapToInt(PayloadType::id).toArray();
        if (opus.length > 0) {
            opusPayloadTypes = opus;
        }
        int transportCc = 0;
        for (Media media : medias) {
            if (media.type() == MediaType.VIDEO) {
                ridExtension = extensionId(media, Simulcast.RTP_STREAM_ID);
                repairedRidExtension = extensionId(media, Simulcast.REPAIRED_RTP_STREAM_ID);
            }
            // BUNDLE: one transport-wide numbering for the whole endpoint, under one id in every section.
            transportCc = Math.max(transportCc, extensionId(media, Extmap.TRANSPORT_WIDE_CC));
        }
        if (transportCc > 0 && sendSide == null) {
            sentPackets = new SentPackets();
            sendSide = new SendSideEstimator(conference.context.simulcast.initialEstimateBps(), MIN_ESTIMATE_BPS,
                    MAX_ESTIMATE_BPS);
        }
        transportCcExtension = transportCc;
        int[] rtx = new int[128];
        int[] repaired = new int[128];
        for (Media media : medias) {
            for (PayloadType pt : media.payloadTypes()) {
                String apt = pt.parameters().get("apt");
                if ("rtx".equalsIgnoreCase(pt.name()) && apt != null && apt.matches("\\d{1,3}")
                        && Integer.parseInt(apt) < 128 && pt.id() > 0 && pt.id() < 128) {
                    rtx[Integer.parseInt(apt)] = pt.id();
                    repaired[pt.id()] = Integer.parseInt(apt);
                }
            }
        }
        rtxPayloadTypes = rtx;
        repairedPayloadTypes = repaired;
    }

    private static int extensionId(Media media, String uri) {
        return media.headerExtensions().stream().filter(e -> uri.equals(e.uri())).mapToInt(e -> e.id())
                .findFirst().orElse(0);
    }

    /** The RTX payload type this endpoint negotiated for payload type {@code pt}, or 0. */
    int rtxPayloadType(int pt) {
        return pt >= 0 && pt < 128 ? rtxPayloadTypes[pt] : 0;
    }

    /** The payload type this endpoint's RTX payload type {@code rtxPt} repairs, or 0. */
    int repairedPayloadType(int rtxPt) {
        return rtxPt >= 0 && rtxPt < 128 ? repairedPayloadTypes[rtxPt] : 0;
    }

    /**
     * The next sequence number of the RTX stream {@code rtxSsrc} to this receiver. The bridge's retransmissions and
     * the sender's own (forwarded) share one numbering per receiver, so the receiver sees one gapless RTX stream.
     */
    int nextRtxSequence(int rtxSsrc) {
        synchronized (rtxSequences) {
            int[] next = rtxSequences.computeIfAbsent(rtxSsrc, k -> new int[1]);
            return next[0]++ & 0xFFFF;
        }
    }

    int transportCcExtension() {
        return transportCcExtension;
    }

    int ridExtension() {
        return ridExtension;
    }

    int repairedRidExtension() {
        return repairedRidExtension;
    }

    /** Whether RTP payload type {@code pt} of this endpoint is Opus; called on the receive thread. */
    boolean isOpus(int pt) {
        for (int opus : opusPayloadTypes) {
            if (opus == pt) {
                return true;
            }
        }
        return false;
    }

    /** The taps on this endpoint now, or null (the common case). */
    AudioTap[] audioTaps() {
        return audioTaps;
    }

    /** Hooks a tap in; false if the endpoint has expired (the caller closes the tap). */
    boolean addAudioTap(AudioTap tap) {
        synchronized (tapLock) {
            if (tapsClosed || expired) {
                return false;
            }
            AudioTap[] now = audioTaps;
            AudioTap[] more = now == null ? new AudioTap[1] : Arrays.copyOf(now, now.length + 1);
            more[more.length - 1] = tap;
            audioTaps = more;
            return true;
        }
    }

    void removeAudioTap(AudioTap tap) {
        synchronized (tapLock) {
            AudioTap[] now = audioTaps;
            if (now == null) {
                return;
            }
            AudioTap[] rest = Arrays.stream(now).filter(t -> t != tap).toArray(AudioTap[]::new);
            audioTaps = rest.length == 0 ? null : rest;
        }
    }

    /** When the endpoint goes away: closes its taps and refuses new ones. */
    void closeAudioTaps() {
        AudioTap[] taps;
        synchronized (tapLock) {
            tapsClosed = true;
            taps = audioTaps;
            audioTaps = null;
        }
        if (taps != null) {
            for (AudioTap tap : taps) {
                tap.close();
            }
        }
    }

    /**
     * Whether a packet {@code from} sent goes to this endpoint: never back to its sender, never from one relay to
     * another.
     */
    boolean receivesFrom(Endpoint from) {
        return from != this && !(relay && from.relay);
    }

    @Override
    public String toString() {
        return (relay ? "relay endpoint " : "endpoint ") + id + " of " + conference.meetingId;
    }
}
