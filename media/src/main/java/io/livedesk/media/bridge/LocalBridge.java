package io.livedesk.media.bridge;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.RelayRequest;
import io.livedesk.media.tap.AudioSink;
import io.livedesk.media.tap.AudioTap;
import io.livedesk.media.tap.AudioTapPool;
import io.livedesk.media.tap.AudioTapSettings;
import io.livedesk.media.tap.AudioTapStats;
import io.livedesk.media.transport.BridgeCertificate;
import io.livedesk.media.transport.MediaPacketListener;
import io.livedesk.media.transport.SrtpWarmUp;
import io.livedesk.media.io.MediaSocket;
import io.livedesk.media.transport.LitePort;
import io.livedesk.media.transport.MediaPort;
import io.livedesk.media.transport.UdpTransportHarvester;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The in-process selective forwarding unit: one UDP port (all endpoints' ICE + DTLS-SRTP, told apart
 * by ICE username), one DTLS certificate, conferences by meeting id. {@link #apply} creates, updates
 * and expires endpoints as Colibri2 does; packets then flow through each endpoint's
 * {@link EndpointReceiver} without touching any lock of this class. One named housekeeping thread
 * expires endpoints whose ICE failed or that stopped sending, and sends bandwidth estimates.
 *
 * <p>Thread-safe. Conference changes are serialised per conference.
 */
public final class LocalBridge implements Bridge {
    private static final Logger log = LoggerFactory.getLogger(LocalBridge.class);

    private final BridgeConfig config;
    private final LongSupplier clock;
    private final MediaPort harvester;
    /**
     * Where relays to other bridges get their full ICE agents: the bridge's port when that is ice4j's, else (the
     * ICE-lite Netty port) a second, ice4j port on the same address ({@code BridgeConfig.relayPort}, or one the system
     * picks), opened with the first relay.
     */
    private UdpTransportHarvester relayPort;
    private final BridgeCertificate certificate;
    private final ForwardingContext context;
    private final int audioFeedbackSsrc;
    private final List<MediaSource> bridgeSources;
    private final Map<MeetingId, Conference> conferences = new ConcurrentHashMap<>();
    private final Housekeeper housekeeper;
    private final MediaStopDetector mediaStops;
    private final ScheduledThreadPoolExecutor scheduler;
    /** Decoding threads of every audio tap (threads only while busy). */
    private final AudioTapPool audioTaps;
    /** Packets and bytes of endpoints already expired, so totals never go down. */
    private final LongAdder retiredPacketsIn = new LongAdder();
    private final LongAdder retiredPacketsOut = new LongAdder();
    private final LongAdder retiredBytesIn = new LongAdder();
    private final LongAdder retiredBytesOut = new LongAdder();
    /** Identity in production; tests wrap links, e.g. to lose packets on purpose. */
    private final UnaryOperator<EndpointLink> linkWrapper;
    private volatile boolean closed;
    /** Drain mode: set by an operator, reported in stats; conferences already here go on as before. */
    private volatile boolean draining;
    /** Set by {@link #shutDown()}: reported in stats so that signaling moves the conferences away before close. */
    private volatile boolean shuttingDown;

    public LocalBridge(BridgeConfig config) {
        this(config, System::nanoTime, true, UnaryOperator.identity());
    }

    /** @param schedule false in tests that drive {@link #housekeep()} themselves */
    LocalBridge(BridgeConfig config, LongSupplier clock, boolean schedule) {
        this(config, clock, schedule, UnaryOperator.identity());
    }

    /** Tests and the forwarding benchmark (bench module, same package) wrap every endpoint's link in an in-memory one. */
    LocalBridge(BridgeConfig config, LongSupplier clock, boolean schedule, UnaryOperator<EndpointLink> linkWrapper) {
        this.config = config;
        this.clock = clock;
        this.linkWrapper = linkWrapper;
        SrtpWarmUp.chooseCipher();
        if (config.warmUpSrtp()) {
            SrtpWarmUp.run();
        }
        this.certificate = BridgeCertificate.generate();
        SecureRandom random = new SecureRandom();
        int videoSsrc = nonZero(random);
        int audioSsrc;
        do {
            audioSsrc = nonZero(random);
        } while (audioSsrc == videoSsrc);
        this.audioFeedbackSsrc = audioSsrc;
        this.context = new ForwardingContext(clock, videoSsrc, config);
        this.bridgeSources = List.of(
                new MediaSource(MediaType.AUDIO, "bridge-a0", List.of(new MediaSource.Ssrc(audioSsrc & 0xFFFFFFFFL, "bridge-a0")), List.of()),
                new MediaSource(MediaType.VIDEO, "bridge-v0", List.of(new MediaSource.Ssrc(videoSsrc & 0xFFFFFFFFL, "bridge-v0")), List.of()));
        this.housekeeper = new Housekeeper(config,
                new BandwidthEstimator(videoSsrc, config.rembCeilingBps(), config.rembFloorBps()),
                new Housekeeper.Expirer() {
                    @Override
                    public void expire(Conference conference, Endpoint endpoint, String reason) {
                        log.info("bridge {}: expiring {}: {}", config.id(), endpoint, reason);
                        expireEndpoint(conference, endpoint.id);
                    }

                    @Override
                    public void expireEmpty(Conference conference) {
                        synchronized (conference) {
                            // apply() may have added an endpoint since the housekeeper looked.
                            if (conference.size() != 0 || conference.isExpired()) {
                                return;
                            }
                            log.info("bridge {}: expiring empty conference {}", config.id(), conference.meetingId);
                            conferences.remove(conference.meetingId, conference);
                            conference.expire();
                        }
                    }
                }, clock.getAsLong());
        this.mediaStops = new MediaStopDetector(config.mediaTimeout());
        this.harvester = config.io().equals("netty")
                ? LitePort.open(config.address(), config.port(), config.nettyIo())
                : UdpTransportHarvester.open(config.address(), config.port());
        this.audioTaps = new AudioTapPool(config.id(), AudioTapSettings.defaults());
        if (schedule) {
            String threadName = "livedesk-bridge-" + config.id() + "-housekeeper";
            scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            scheduler.setRemoveOnCancelPolicy(true);
            scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            long period = config.tickInterval().toNanos();
            scheduler.scheduleWithFixedDelay(this::housekeep, period, period, TimeUnit.NANOSECONDS);
        } else {
            scheduler = null;
        }
        log.info("bridge {} on udp {}:{}, {}", config.id(), harvester.address(), harvester.port(),
                harvester.description());
    }

    private static int nonZero(SecureRandom random) {
        int v;
        do {
            v = random.nextInt();
        } while (v == 0);
        return v;
    }

    @Override
    public String id() {
        return config.id();
    }

    /** The UDP port every endpoint's media uses. */
    public int port() {
        return harvester.port();
    }

    public String address() {
        return harvester.address();
    }

    @Override
    public ConferenceReply apply(ConferenceRequest request) throws BridgeException {
        if (closed) {
            throw new BridgeException.Unavailable("bridge " + config.id() + " is shutting down", null);
        }
        if (request == null || request.meetingId() == null) {
            throw new BridgeException.BadRequest("meeting-id is missing");
        }
        MeetingId meetingId = request.meetingId();
        if (request.expire()) {
            expire(meetingId);
            return new ConferenceReply(List.of(), List.of());
        }
        boolean created = false;
        Conference conference = conferences.get(meetingId);
        if (conference == null) {
            if (!request.create()) {
                throw new BridgeException.NotFound("no conference " + meetingId);
            }
            Conference fresh = new Conference(meetingId, request.name(), context);
            conference = conferences.putIfAbsent(meetingId, fresh);
            if (conference == null) {
                conference = fresh;
                created = true;
            }
        }
        if (!created && request.create()) {
            throw new BridgeException.BadRequest("conference " + meetingId + " already exists");
        }
        try {
            return applyTo(conference, request);
        } catch (BridgeException | RuntimeException e) {
            if (created && conference.size() == 0) {
                conferences.remove(meetingId, conference);
                conference.expire();
            }
            throw e;
        }
    }

    private ConferenceReply applyTo(Conference conference, ConferenceRequest request) throws BridgeException {
        List<ConferenceReply.EndpointReply> replies = new ArrayList<>();
        List<ConferenceReply.RelayReply> relayReplies = new ArrayList<>();
        synchronized (conference) {
            if (conference.isExpired()) {
                throw new BridgeException.NotFound("conference " + conference.meetingId + " has expired");
            }
            validate(conference, request.endpoints());
            validateRelays(conference, request.relays());
            boolean anyExpired = false;
            for (EndpointRequest er : request.endpoints()) {
                if (er.expire()) {
                    expireEndpoint(conference, er.id());
                    replies.add(new ConferenceReply.EndpointReply(er.id(), null, true));
                    anyExpired = true;
                    continue;
                }
                Endpoint endpoint;
                TransportLink link;
                if (er.create()) {
                    endpoint = new Endpoint(er.id(), er.statsId(), conference, clock.getAsLong());
                    try {
                        link = new TransportLink(er.id() + "@" + conference.meetingId, harvester, certificate,
                                er.iceControlling(), endpoint.receiver);
                    } catch (UncheckedIOException e) {
                        throw new BridgeException.Unavailable("cannot allocate a transport for " + er.id(), e);
                    }
                    endpoint.attach(linkWrapper.apply(link), link);
                    conference.add(endpoint);
                } else {
                    endpoint = conference.endpoint(er.id());
                    link = endpoint.transport();
                }
                if (!er.medias().isEmpty()) {
                    endpoint.medias(er.medias());
                    if (!er.create()) {
                        conference.renegotiated(endpoint);
                    }
                }
                if (er.sources() != null) {
                    conference.setSources(endpoint, er.sources());
                }
                if (er.maxVideoHeight() != null) {
                    endpoint.maxVideoHeight(er.maxVideoHeight());
                }
                boolean restarted = er.remoteTransport() != null && link.connect(er.id(), er.remoteTransport());
                // A restart's new credentials go back like a new endpoint's transport.
                replies.add(new ConferenceReply.EndpointReply(er.id(),
                        er.create() || restarted ? link.localDescription() : null, false));
            }
            anyExpired |= applyRelays(conference, request.relays(), relayReplies);
            if (anyExpired && conference.size() == 0) {
                conferences.remove(conference.meetingId, conference);
                conference.expire();
            }
        }
        // No keyframe request for a new endpoint here: it cannot receive yet, and a keyframe sent now would
        // only be dropped. It is asked for when its transport connects (first packet, or the housekeeper).
        return new ConferenceReply(replies, bridgeSources, relayReplies);
    }

    /**
     * Creates, updates and expires the relays of the request (already validated), under the conference's lock.
     *
     * @return whether any relay was expired
     */
    private boolean applyRelays(Conference conference, List<RelayRequest> requests,
                                List<ConferenceReply.RelayReply> replies) throws BridgeException {
        boolean anyExpired = false;
        for (RelayRequest rr : requests) {
            if (rr.expire()) {
                Relay gone = conference.removeRelay(rr.id());
                if (gone != null) {
                    log.info("bridge {}: {} expired", config.id(), gone);
                    close(gone.endpoint);
                }
                replies.add(new ConferenceReply.RelayReply(rr.id(), null, true));
                anyExpired = true;
                continue;
            }
            Relay relay;
            if (rr.create()) {
                Endpoint endpoint = new Endpoint(Relay.endpointId(rr.id()), rr.id(), true, conference,
                        clock.getAsLong());
                RelayLink link;
                try {
                    link = new RelayLink("relay-" + rr.id() + "@" + conference.meetingId, relayPort(), certificate,
                            rr.iceControlling(), endpoint.receiver);
                } catch (UncheckedIOException e) {
                    throw new BridgeException.Unavailable("cannot allocate a transport for relay " + rr.id(), e);
                }
                endpoint.attach(link);
                relay = new Relay(rr.id(), rr.meshId(), endpoint, link);
                conference.addRelay(relay);
                log.info("bridge {}: {} created, ice-controlling {}", config.id(), relay, rr.iceControlling());
            } else {
                relay = conference.relay(rr.id());
            }
            if (!rr.medias().isEmpty()) {
                relay.endpoint.medias(rr.medias());
            }
            if (!rr.endpoints().isEmpty()) {
                List<Relay.Remote> remotes = relay.after(rr.endpoints());
                conference.setSources(relay.endpoint, Relay.sourcesOf(remotes));
                relay.remotes(remotes);
            }
            if (rr.remoteTransport() != null) {
                relay.link.connect(rr.id(), rr.remoteTransport());
            }
            replies.add(new ConferenceReply.RelayReply(rr.id(), rr.create() ? relay.link.localDescription() : null,
                    false));
        }
        return anyExpired;
    }

    /** The ice4j port relays' agents harvest from (see {@link #relayPort}). */
    private synchronized UdpTransportHarvester relayPort() {
        if (harvester instanceof UdpTransportHarvester ice4j) {
            return ice4j;
        }
        if (relayPort == null) {
            relayPort = UdpTransportHarvester.open(config.address(), config.relayPort());
            log.info("bridge {}: relays on udp {}:{} (ice4j, full ICE)", config.id(), relayPort.address(),
                    relayPort.port());
        }
        return relayPort;
    }

    /** Everything that can be wrong with the relays of a request is found before anything is changed. */
    private static void validateRelays(Conference conference, List<RelayRequest> requests) throws BridgeException {
        Set<String> ids = new HashSet<>();
        for (RelayRequest rr : requests) {
            if (rr == null || rr.id() == null || rr.id().isBlank()) {
                throw new BridgeException.BadRequest("a relay has no id");
            }
            if (!ids.add(rr.id())) {
                throw new BridgeException.BadRequest("relay " + rr.id() + " appears twice");
            }
            if (rr.create() && rr.expire()) {
                throw new BridgeException.BadRequest("relay " + rr.id() + ": create and expire at once");
            }
            if (rr.expire()) {
                continue; // an unknown relay's expiry is echoed, as Jitsi Videobridge does
            }
            Relay existing = conference.relay(rr.id());
            if (rr.create() && existing != null) {
                throw new BridgeException.BadRequest("relay " + rr.id() + " already exists");
            }
            if (!rr.create() && existing == null) {
                throw new BridgeException.NotFound("no relay " + rr.id() + " in conference " + conference.meetingId);
            }
            boolean controlling = rr.create() ? rr.iceControlling() : existing.link.localSetup() == io.livedesk.media.api.SetupRole.ACTIVE;
            if (rr.remoteTransport() != null) {
                RelayLink.validateRemote(rr.id(), controlling, rr.remoteTransport());
            }
            if (!rr.endpoints().isEmpty()) {
                List<Relay.Remote> remotes = Relay.after(rr.id(), existing == null ? List.of() : existing.remotes(),
                        rr.endpoints());
                conference.validateSources(Relay.endpointId(rr.id()), Relay.sourcesOf(remotes));
            }
        }
    }

    /** Everything that can be wrong with the request is found before anything is changed. */
    private static void validate(Conference conference, List<EndpointRequest> requests) throws BridgeException {
        Set<String> ids = new HashSet<>();
        for (EndpointRequest er : requests) {
            if (er == null || er.id() == null || er.id().isBlank()) {
                throw new BridgeException.BadRequest("an endpoint has no id");
            }
            if (!ids.add(er.id())) {
                throw new BridgeException.BadRequest("endpoint " + er.id() + " appears twice");
            }
            if (er.create() && er.expire()) {
                throw new BridgeException.BadRequest("endpoint " + er.id() + ": create and expire at once");
            }
            Endpoint existing = conference.endpoint(er.id());
            if (er.create() && existing != null) {
                throw new BridgeException.BadRequest("endpoint " + er.id() + " already exists");
            }
            if (!er.create() && existing == null) {
                throw new BridgeException.NotFound("no endpoint " + er.id() + " in conference " + conference.meetingId);
            }
            if (er.expire()) {
                continue;
            }
            if (er.remoteTransport() != null) {
                TransportLink.validateRemote(er.id(), er.remoteTransport());
            }
            if (er.sources() != null) {
                conference.validateSources(er.id(), er.sources());
            }
        }
    }

    private void expireEndpoint(Conference conference, String endpointId) {
        Endpoint endpoint = conference.remove(endpointId);
        if (endpoint != null) {
            close(endpoint);
        }
    }

    private void close(Endpoint endpoint) {
        endpoint.closeAudioTaps();
        EndpointLink link = endpoint.link();
        if (link != null) {
            try {
                link.close();
            } catch (RuntimeException e) {
                log.warn("bridge {}: closing {} failed", config.id(), endpoint, e);
            }
        }
        retiredPacketsIn.add(endpoint.counters.packetsIn());
        retiredPacketsOut.add(endpoint.counters.packetsOut());
        retiredBytesIn.add(endpoint.counters.bytesIn());
        retiredBytesOut.add(endpoint.counters.bytesOut());
    }

    @Override
    public void expire(MeetingId meetingId) {
        if (meetingId == null) {
            return;
        }
        Conference conference = conferences.remove(meetingId);
        if (conference == null) {
            return;
        }
        List<Endpoint> endpoints;
        synchronized (conference) {
            endpoints = conference.expire();
        }
        endpoints.forEach(this::close);
    }

    @Override
    public BridgeStats stats() {
        long packetsIn = retiredPacketsIn.sum();
        long packetsOut = retiredPacketsOut.sum();
        long bytesIn = retiredBytesIn.sum();
        long bytesOut = retiredBytesOut.sum();
        int endpoints = 0;
        int relays = 0;
        for (Conference conference : conferences.values()) {
            for (Endpoint e : conference.endpoints()) {
                if (e.relay) {
                    relays++; // its traffic counts below; it is no participant
                } else {
                    endpoints++;
                }
                packetsIn += e.counters.packetsIn();
                packetsOut += e.counters.packetsOut();
                bytesIn += e.counters.bytesIn();
                bytesOut += e.counters.bytesOut();
            }
        }
        return new BridgeStats(housekeeper.stressLevel(), conferences.size(), endpoints, !closed, draining,
                closed || shuttingDown, packetsIn, packetsOut, bytesIn, bytesOut, null, null, relays);
    }

    /** Drain mode: reported in stats; the bridge itself still accepts whatever its callers send. */
    @Override
    public void drain(boolean enable) {
        if (draining != enable) {
            draining = enable;
            log.info("bridge {}: drain {}", config.id(), enable ? "enabled" : "disabled");
        }
    }

    /**
     * The bridge is about to stop: stats say {@code shutting_down}, so that signaling moves its conferences to
     * another bridge, while this one goes on serving until {@link #close()}.
     */
    public void shutDown() {
        if (!shuttingDown) {
            shuttingDown = true;
            log.info("bridge {}: shutting down, {} conference(s) to move away", config.id(), conferences.size());
        }
    }

    @Override
    public ConferenceStats conferenceStats(MeetingId meetingId) throws BridgeException {
        Conference conference = meetingId == null ? null : conferences.get(meetingId);
        if (conference == null) {
            throw new BridgeException.NotFound("no conference " + meetingId);
        }
        List<EndpointStats> list = new ArrayList<>();
        long pIn = 0;
        long pOut = 0;
        long bIn = 0;
        long bOut = 0;
        long dropped = 0;
        List<EndpointStats> relays = new ArrayList<>();
        for (Relay relay : conference.relays()) {
            relays.add(statsOf(relay.endpoint, relay.id, droppedByCause(relay)));
        }
        for (Endpoint e : conference.endpoints()) {
            if (e.relay) {
                continue;
            }
            EndpointCounters c = e.counters;
            Map<String, Long> drops = droppedByCause(e);
            list.add(new EndpointStats(e.id, e.statsId, e.isSecure(), c.packetsIn(), c.packetsOut(), c.bytesIn(),
                    c.bytesOut(), e.packetsLost(), e.fractionLost(), e.rttMs(), e.bitrateInBps(), e.bitrateOutBps(),
                    e.estimateSentBps(), e.receiveEstimateBps(context.nanoClock.getAsLong()), e.sendSideFeedbacks(),
                    drops));
            pIn += c.packetsIn();
            pOut += c.packetsOut();
            bIn += c.bytesIn();
            bOut += c.bytesOut();
            for (long n : drops.values()) {
                dropped += n;
            }
        }
        return new ConferenceStats(meetingId, list.size(), pIn, pOut, bIn, bOut, dropped, list, relays);
    }

    private EndpointStats statsOf(Endpoint e, String id, Map<String, Long> drops) {
        EndpointCounters c = e.counters;
        return new EndpointStats(id, e.statsId, e.isSecure(), c.packetsIn(), c.packetsOut(), c.bytesIn(),
                c.bytesOut(), e.packetsLost(), e.fractionLost(), e.rttMs(), e.bitrateInBps(), e.bitrateOutBps(),
                e.estimateSentBps(), e.receiveEstimateBps(context.nanoClock.getAsLong()), e.sendSideFeedbacks(), drops);
    }

    private static Map<String, Long> droppedByCause(Relay relay) {
        Map<String, Long> drops = relay.endpoint.counters.droppedByCause();
        relay.link.counters().dropped().forEach((reason, n) -> {
            if (n > 0) {
                drops.merge(reason.key(), n, Long::sum);
            }
        });
        return drops;
    }

    /**
     * Read on demand from each endpoint's last packet (see {@link MediaStopDetector}): no work on the packet
     * path beyond the activity time it already keeps, and nothing to keep in step between calls.
     */
    @Override
    public List<EndpointMedia> mediaStatus(Collection<MeetingId> meetingIds) throws BridgeException {
        if (closed) {
            throw new BridgeException.Unavailable("bridge " + config.id() + " is shutting down", null);
        }
        long now = clock.getAsLong();
        List<EndpointMedia> out = new ArrayList<>();
        for (MeetingId meetingId : meetingIds) {
            Conference conference = meetingId == null ? null : conferences.get(meetingId);
            if (conference == null) {
                continue;
            }
            for (Endpoint e : conference.endpoints()) {
                if (!e.relay) {
                    out.add(new EndpointMedia(meetingId, e.id, mediaStops.flowOf(e, now)));
                }
            }
            for (Relay relay : conference.relays()) {
                out.add(new EndpointMedia(meetingId, relay.id, mediaStops.flowOf(relay.endpoint, now), true));
            }
        }
        return out;
    }

    /**
     * The forwarding layer's drops plus the transport's own (SRTP auth/replay failures, unknown packet
     * kinds, SRTP before keys): everything dropped that arrived on this endpoint's authenticated flow.
     */
    private static Map<String, Long> droppedByCause(Endpoint e) {
        Map<String, Long> drops = e.counters.droppedByCause();
        TransportLink transport = e.transport();
        if (transport != null) {
            transport.counters().dropped().forEach((reason, n) -> {
                if (n > 0) {
                    drops.merge(reason.key(), n, Long::sum);
                }
            });
        }
        return drops;
    }

    /**
     * Taps one participant's audio: its Opus, decoded off the packet path and resampled, reaches
     * {@code sink} as PCM16 mono at {@code sampleRate} (see {@link AudioSink} for timing and threads).
     * The tap lasts until it is closed, or until the endpoint, its conference or this bridge goes
     * away (the sink then hears {@link AudioSink#onClose}). Several taps on one endpoint are independent.
     * Opus is recognised by the payload types of the endpoint's request ({@code medias}), else Chromium's 111.
     *
     * @param sampleRate 8000 to 48000 Hz, see {@link AudioTapSettings#isSupportedRate}
     * @throws BridgeException.NotFound    for an unknown (or just expired) conference or endpoint
     * @throws BridgeException.BadRequest  for an unsupported rate or a null sink
     * @throws BridgeException.Unavailable when the bridge is closing or has too many taps
     */
    public AudioTap tapAudio(MeetingId meetingId, String endpointId, int sampleRate, AudioSink sink)
            throws BridgeException {
        if (sink == null) {
            throw new BridgeException.BadRequest("an audio tap needs a sink");
        }
        if (!AudioTapSettings.isSupportedRate(sampleRate)) {
            throw new BridgeException.BadRequest("unsupported audio tap rate " + sampleRate + " Hz");
        }
        if (closed) {
            throw new BridgeException.Unavailable("bridge " + config.id() + " is shutting down", null);
        }
        Conference conference = meetingId == null ? null : conferences.get(meetingId);
        Endpoint endpoint = conference == null || endpointId == null ? null : conference.endpoint(endpointId);
        if (endpoint == null) {
            throw new BridgeException.NotFound("no endpoint " + endpointId + " in conference " + meetingId);
        }
        AudioTap tap;
        try {
            tap = audioTaps.open(endpointId + "@" + meetingId, sampleRate, sink, endpoint::isOpus,
                    endpoint::removeAudioTap);
        } catch (IllegalStateException e) {
            throw new BridgeException.Unavailable("cannot open an audio tap: " + e.getMessage(), e);
        }
        if (!endpoint.addAudioTap(tap)) {
            tap.close();
            throw new BridgeException.NotFound("endpoint " + endpointId + " of " + meetingId + " has expired");
        }
        return tap;
    }

    /** Audio taps not yet finished; 0 once every tap was closed and has released its resources. */
    public int openAudioTaps() {
        return audioTaps.openTaps();
    }

    /** Counters of every audio tap this bridge has had. */
    public AudioTapStats audioTapStats() {
        return audioTaps.totals();
    }

    /** The meeting ids of the live conferences (for per-conference metrics). */
    public List<MeetingId> meetingIds() {
        return List.copyOf(conferences.keySet());
    }

    /**
     * Datagrams dropped on the shared port before any endpoint could be named: first STUN checks
     * whose username matches no endpoint. See {@link MediaPort#unknownUfragDrops()}.
     */
    public long unattributedDrops() {
        return harvester.unknownUfragDrops();
    }

    /** ICE ufrags the shared UDP port still routes to an endpoint; empty when no endpoint is allocated. */
    public Set<String> registeredUfrags() {
        return harvester.registeredUfrags();
    }

    /** One housekeeping round now (the scheduler calls this every tick). */
    void housekeep() {
        try {
            BridgeStats totals = stats();
            housekeeper.tick(conferences.values(), totals.packetsIn() + totals.packetsOut(), clock.getAsLong());
        } catch (RuntimeException e) {
            // Never let one bad round cancel the periodic task.
            log.error("bridge {}: housekeeping failed", config.id(), e);
        }
    }

    /** Test access to the packet path. */
    Conference conference(MeetingId meetingId) {
        return conferences.get(meetingId);
    }

    /**
     * For tests and the forwarding benchmark: the listener the endpoint's transport hands decrypted
     * RTP/RTCP to (the start of the packet path), or null when there is no such endpoint.
     */
    MediaPacketListener packetListener(MeetingId meetingId, String endpointId) {
        Conference conference = conferences.get(meetingId);
        Endpoint endpoint = conference == null ? null : conference.endpoint(endpointId);
        return endpoint == null ? null : endpoint.receiver;
    }

    int feedbackSsrc() {
        return context.feedbackSsrc;
    }

    int audioFeedbackSsrc() {
        return audioFeedbackSsrc;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (MeetingId meetingId : List.copyOf(conferences.keySet())) {
            expire(meetingId);
        }
        audioTaps.close();
        harvester.close();
        synchronized (this) {
            if (relayPort != null) {
                relayPort.close();
            }
        }
        log.info("bridge {} closed", config.id());
    }
}
