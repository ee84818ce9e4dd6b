package io.livedesk.media.bridge;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.rtp.TransportCcFeedback;
import io.livedesk.media.sdp.Simulcast;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One meeting (mediasoup's Router): its endpoints, its relays to other bridges (each one more {@link Endpoint} of
 * the packet path, see {@link Relay}) and the SSRC table that routes every packet to the stream it belongs to. Changes happen under the conference's lock and publish new immutable
 * snapshots ({@link #endpoints()}, the SSRC table), so the packet path reads them without locking.
 */
final class Conference implements ConferenceRouting {
    private static final Endpoint[] NO_ENDPOINTS = new Endpoint[0];
    /** Room to build and protect one keyframe request in (as the housekeeper's). */
    private static final int KEYFRAME_REQUEST_BYTES = 2048;

    final MeetingId meetingId;
    final String name;
    final ForwardingContext context;
    final long createdNanos;
    /** The stages its endpoints' receivers hand packets to. */
    final PacketPath path;

    private final Map<String, Endpoint> byId = new LinkedHashMap<>();
    /** Relays to other bridges by relay id; their endpoints are in {@link #endpoints} after the participants. */
    private final Map<String, Relay> relays = new LinkedHashMap<>();
    private volatile Endpoint[] endpoints = NO_ENDPOINTS;
    private volatile SsrcTable ssrcs = SsrcTable.EMPTY;
    private static final SimulcastSource[] NO_SIMULCASTS = new SimulcastSource[0];
    /** Every endpoint's simulcast tracks: few, so found by a scan of their receiver SSRCs. */
    private volatile SimulcastSource[] simulcasts = NO_SIMULCASTS;
    private volatile boolean expired;

    Conference(MeetingId meetingId, String name, ForwardingContext context) {
        this.meetingId = meetingId;
        this.name = name;
        this.context = context;
        this.createdNanos = context.nanoClock.getAsLong();
        this.path = new PacketPath(context.nanoClock, this, new RtpForwarder(this, context.keyframes), context.audioTaps,
                new FeedbackRouter(this, context.keyframes, context.nacks), this::requestKeyframesFor);
    }

    @Override
    public Endpoint[] endpoints() {
        return endpoints;
    }

    @Override
    public SenderStream stream(int ssrc) {
        return ssrcs.get(ssrc);
    }

    @Override
    public SimulcastSource simulcast(int receiverSsrc) {
        for (SimulcastSource s : simulcasts) {
            if (s.receiverSsrc == receiverSsrc) {
                return s;
            }
        }
        return null;
    }

    SimulcastSource[] simulcasts() {
        return simulcasts;
    }

    @Override
    public synchronized SenderStream learn(Endpoint owner, int ssrc, String rid, boolean repair) {
        SenderStream known = ssrcs.get(ssrc);
        if (known != null || owner.isExpired() || ssrc == context.feedbackSsrc || simulcast(ssrc) != null) {
            return known != null && known.owner == owner ? known : null;
        }
        for (SimulcastSource source : owner.simulcasts()) {
            int layer = source.layerOf(rid);
            if (layer < 0) {
                continue;
            }
            if (!source.mayLearn(context.nanoClock.getAsLong())) {
                return null;
            }
            SenderStream stream = new SenderStream(ssrc, owner, !repair, source, layer, context.packetCacheSize,
                    context.packetCacheMaxAgeMs);
            List<SenderStream> streams = new ArrayList<>();
            for (SenderStream s : owner.streams()) {
                // A new SSRC for a layer replaces the old one: at most one stream and one RTX per layer.
                if (s.simulcast != source || s.layer != layer || s.primary == repair) {
                    streams.add(s);
                }
            }
            streams.add(stream);
            if (!repair) {
                source.layer(layer, stream);
            }
            owner.streams(streams);
            publish();
            return stream;
        }
        return null;
    }

    synchronized Endpoint endpoint(String id) {
        return byId.get(id);
    }

    /** Endpoints and relays: the conference expires when the last of either goes, as in Jitsi Videobridge. */
    synchronized int size() {
        return byId.size() + relays.size();
    }

    synchronized Relay relay(String id) {
        return relays.get(id);
    }

    synchronized List<Relay> relays() {
        return List.copyOf(relays.values());
    }

    synchronized void addRelay(Relay relay) {
        if (relays.putIfAbsent(relay.id, relay) != null) {
            throw new IllegalStateException("relay " + relay.id + " exists");
        }
        publish();
    }

    /** Removes the relay and what came over it from routing; the caller closes its link. */
    synchronized Relay removeRelay(String id) {
        Relay relay = relays.remove(id);
        if (relay != null) {
            relay.endpoint.markExpired();
            publish();
        }
        return relay;
    }

    boolean isExpired() {
        return expired;
    }

    synchronized void add(Endpoint endpoint) {
        if (byId.putIfAbsent(endpoint.id, endpoint) != null) {
            throw new IllegalStateException("endpoint " + endpoint.id + " exists");
        }
        publish();
    }

    /** Removes the endpoint and its streams from routing; the caller closes its link. */
    synchronized Endpoint remove(String id) {
        Endpoint endpoint = byId.remove(id);
        if (endpoint != null) {
            endpoint.markExpired();
            publish();
        }
        return endpoint;
    }

    /** Marks the conference expired and removes every endpoint; returns them for closing. */
    synchronized List<Endpoint> expire() {
        expired = true;
        List<Endpoint> all = new ArrayList<>(byId.values());
        relays.values().forEach(r -> all.add(r.endpoint));
        all.forEach(Endpoint::markExpired);
        byId.clear();
        relays.clear();
        publish();
        return all;
    }

    /** Checks that {@code sources} are well formed and use no SSRC another endpoint sends. */
    synchronized void validateSources(String endpointId, List<MediaSource> sources) throws BridgeException.BadRequest {
        Set<Long> seen = new HashSet<>();
        for (MediaSource source : sources) {
            if (source == null || source.type() == null) {
                throw new BridgeException.BadRequest("endpoint " + endpointId + ": a source has no type");
            }
            if (source.ssrcs().isEmpty()) {
                throw new BridgeException.BadRequest("endpoint " + endpointId + ": source " + source.id() + " lists no ssrc");
            }
            if (!source.rids().isEmpty() && (source.type() != io.livedesk.media.api.MediaType.VIDEO
                    || source.ssrcs().size() != 1 || source.rids().size() < 2)) {
                throw new BridgeException.BadRequest("endpoint " + endpointId + ": source " + source.id()
                        + " is simulcast by rid: a video source with one SSRC and two or more rids");
            }
            for (MediaSource.Ssrc s : source.ssrcs()) {
                long ssrc = s.ssrc();
                if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
                    throw new BridgeException.BadRequest("endpoint " + endpointId + ": ssrc out of range: " + ssrc);
                }
                if (!seen.add(ssrc)) {
                    throw new BridgeException.BadRequest("endpoint " + endpointId + ": ssrc " + ssrc + " listed twice");
                }
                if ((int) ssrc == context.feedbackSsrc) {
                    throw new BridgeException.BadRequest("endpoint " + endpointId + ": ssrc " + ssrc + " is the bridge's");
                }
                SenderStream existing = ssrcs.get((int) ssrc);
                SimulcastSource simulcast = simulcast((int) ssrc);
                if (simulcast != null && !simulcast.owner.id.equals(endpointId)) {
                    throw new BridgeException.BadRequest("endpoint " + endpointId + ": ssrc " + ssrc
                            + " is already sent by endpoint " + simulcast.owner.id);
                }
                if (existing != null && !existing.owner.id.equals(endpointId)) {
                    throw new BridgeException.BadRequest("endpoint " + endpointId + ": ssrc " + ssrc
                            + " is already sent by endpoint " + existing.owner.id);
                }
            }
        }
    }

    /**
     * Replaces what the endpoint sends. Streams whose SSRC stays keep their state (cache, sequence
     * accounting); an SSRC in an FID group after the first is RTX (no cache, no keyframe requests). A simulcast
     * track becomes a {@link SimulcastSource}: by SSRC its SIM group's SSRCs are its layers (their FID partners
     * their RTX); by rid its layers are learned from packets ({@link #learn}), and an unchanged track keeps them.
     */
    synchronized void setSources(Endpoint endpoint, List<MediaSource> sources) throws BridgeException.BadRequest {
        validateSources(endpoint.id, sources);
        Map<Integer, SenderStream> old = new HashMap<>();
        endpoint.streams().forEach(s -> old.put(s.ssrc, s));
        List<SenderStream> streams = new ArrayList<>();
        List<SimulcastSource> simulcastSources = new ArrayList<>();
        for (MediaSource source : sources) {
            if (!source.rids().isEmpty()) {
                SimulcastSource kept = keptByRid(endpoint, source);
                SimulcastSource track = kept != null ? kept : new SimulcastSource(endpoint, source.id(),
                        (int) source.ssrcs().get(0).ssrc(), source.rids(), source.rids().size(), context.simulcast);
                simulcastSources.add(track);
                if (kept != null) {
                    endpoint.streams().stream().filter(s -> s.simulcast == kept).forEach(streams::add);
                }
                continue;
            }
            Set<Long> rtx = new HashSet<>();
            Map<Long, Long> repairs = new HashMap<>();
            List<Long> layers = List.of();
            for (MediaSource.SsrcGroup group : source.groups()) {
                if ("FID".equalsIgnoreCase(group.semantics())) {
                    rtx.addAll(group.ssrcs().subList(Math.min(1, group.ssrcs().size()), group.ssrcs().size()));
                    if (group.ssrcs().size() == 2) {
                        repairs.put(group.ssrcs().get(1), group.ssrcs().get(0));
                    }
                } else if (Simulcast.SIM.equalsIgnoreCase(group.semantics()) && group.ssrcs().size() >= 2
                        && source.type() == io.livedesk.media.api.MediaType.VIDEO) {
                    layers = group.ssrcs();
                }
            }
            SimulcastSource track = layers.isEmpty() ? null : new SimulcastSource(endpoint, source.id(),
                    (int) (long) layers.get(0), List.of(), layers.size(), context.simulcast);
            if (track != null) {
                simulcastSources.add(track);
            }
            for (MediaSource.Ssrc s : source.ssrcs()) {
                int ssrc = (int) s.ssrc();
                boolean primary = !rtx.contains(s.ssrc());
                int layer = track == null ? -1 : layers.indexOf(primary ? s.ssrc() : repairs.getOrDefault(s.ssrc(), -1L));
                if (layer >= 0) {
                    SenderStream stream = new SenderStream(ssrc, endpoint, primary, track, layer,
                            context.packetCacheSize, context.packetCacheMaxAgeMs);
                    if (primary) {
                        track.layer(layer, stream);
                    }
                    streams.add(stream);
                    continue;
                }
                SenderStream kept = old.get(ssrc);
                streams.add(kept != null && kept.type == source.type() && kept.primary == primary
                        && kept.simulcast == null ? kept
                        : new SenderStream(ssrc, endpoint, source.type(), primary, context.packetCacheSize,
                        context.packetCacheMaxAgeMs));
            }
            for (Map.Entry<Long, Long> repair : repairs.entrySet()) {
                for (SenderStream s : streams) {
                    if (s.ssrc == (int) (long) repair.getValue() && s.simulcast == null) {
                        s.rtxSsrc((int) (long) repair.getKey());
                    }
                }
            }
        }
        endpoint.streams(streams);
        endpoint.simulcasts(simulcastSources);
        publish();
    }

    /** The endpoint's rid-simulcast track this source describes again unchanged, keeping what it learned. */
    private static SimulcastSource keptByRid(Endpoint endpoint, MediaSource source) {
        for (SimulcastSource s : endpoint.simulcasts()) {
            if (s.id.equals(source.id()) && s.rids.equals(source.rids())
                    && s.receiverSsrc == (int) source.ssrcs().get(0).ssrc()) {
                return s;
            }
        }
        return null;
    }

    /**
     * Asks every primary video stream of the other endpoints for a keyframe, for {@code receiver}, which
     * just became able to receive (its transport is secure, or its first packet arrived). Coalesced per
     * stream by the {@link KeyframeRequester}: many receivers connecting at once cost each sender one or
     * two keyframes.
     */
    void requestKeyframesFor(Endpoint receiver, byte[] scratch) {
        long now = context.nanoClock.getAsLong();
        for (Endpoint sender : endpoints) {
            if (!receiver.receivesFrom(sender)) {
                continue;
            }
            for (SenderStream stream : sender.streams()) {
                if (stream.isPrimaryVideo()) {
                    context.keyframes.requestPli(stream, now, scratch);
                }
            }
        }
    }

    /**
     * An endpoint that already receives offered again (a transfer brought a new staff member's video, a
     * supervisor joined or left): what it may now show starts at the next keyframe, so one is asked for at once
     * rather than after the browser applied the answer, found nothing to decode and sent its own PLI (which the
     * {@link KeyframeRequester}'s window then sends on at its end). Not before its transport is secure: the
     * housekeeper asks when it becomes so.
     */
    void renegotiated(Endpoint receiver) {
        if (receiver.isSecure()) {
            requestKeyframesFor(receiver, new byte[KEYFRAME_REQUEST_BYTES]);
        }
    }

    /**
     * Housekeeper: which layer of each simulcast track each receiver gets from now on, from the size it shows video
     * at, its estimate (send-side from its transport-cc feedback, else its fresh REMB) and its loss.
     */
    void chooseLayers(long nowNanos) {
        Endpoint[] all = endpoints;
        for (SimulcastSource track : simulcasts) {
            track.choose(all, nowNanos, r -> r.receiveEstimateBps(nowNanos));
        }
    }

    /** Housekeeper: each sender's transport-wide feedback for what arrived since the last round. */
    void sendTransportFeedback(byte[] scratch) {
        for (Endpoint sender : endpoints) {
            List<SenderStream> streams = sender.streams();
            TransportCcFeedback feedback = sender.transportFeedback.take(context.feedbackSsrc,
                    streams.isEmpty() ? 0 : streams.get(0).ssrc);
            if (feedback == null) {
                continue;
            }
            byte[] out = feedback.length() <= scratch.length ? scratch : new byte[feedback.length()];
            int len = feedback.write(out, 0);
            if (sender.sendRtcp(out, 0, len)) {
                sender.counters.transportFeedbackToSender();
            }
        }
    }

    /** Sends the keyframe requests the window held back on this conference's streams (housekeeper). */
    void flushKeyframeRequests(long nowNanos, byte[] scratch) {
        for (Endpoint sender : endpoints) {
            for (SenderStream stream : sender.streams()) {
                context.keyframes.flushDeferred(stream, nowNanos, scratch);
            }
        }
    }

    /** Called with the lock held: republishes the endpoint array and the SSRC table. */
    private void publish() {
        List<Endpoint> everyone = new ArrayList<>(byId.values());
        relays.values().forEach(r -> everyone.add(r.endpoint));
        endpoints = everyone.toArray(NO_ENDPOINTS);
        List<SenderStream> all = new ArrayList<>();
        List<SimulcastSource> tracks = new ArrayList<>();
        for (Endpoint e : everyone) {
            all.addAll(e.streams());
            tracks.addAll(e.simulcasts());
        }
        simulcasts = tracks.toArray(NO_SIMULCASTS);
        try {
            ssrcs = SsrcTable.of(all);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("conference " + meetingId + ": " + e.getMessage(), e);
        }
    }
}
