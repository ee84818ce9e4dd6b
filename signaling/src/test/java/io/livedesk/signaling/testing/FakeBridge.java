package io.livedesk.signaling.testing;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.RelayRequest;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A media bridge that keeps conferences and endpoints in memory, answers as Jitsi Videobridge would
 * (NotFound for an unknown conference that is not being created; a transport for each endpoint created)
 * and records every request, so a test can say what signaling asked of it. Each endpoint's transport
 * carries a ufrag of its own ({@link #ufragOf}) so an answer shows which endpoint it came from.
 */
public final class FakeBridge implements Bridge {

    public static final String FINGERPRINT =
            "E6:C8:3F:84:FE:BD:E1:0D:E8:47:43:34:35:42:E6:17:6C:63:71:34:A3:C6:82:C7:17:DA:FA:C0:25:18:D0:2E";
    static final List<MediaSource> FEEDBACK = List.of(
            new MediaSource(MediaType.AUDIO, "jvb-a0", List.of(new MediaSource.Ssrc(2794337770L, "jvb-a0")), List.of()));

    private final List<ConferenceRequest> applied = new ArrayList<>();
    private final List<String> expired = new ArrayList<>();
    /** Meeting id to its endpoints, each with the sources it last declared. */
    private final Map<String, Map<String, List<MediaSource>>> conferences = new LinkedHashMap<>();
    /** Meeting id to its relays (by relay id), each with its remote endpoints and their sources. */
    private final Map<String, Map<String, Map<String, List<MediaSource>>>> relays = new LinkedHashMap<>();
    private BridgeException failure;
    private RuntimeException bug;

    /** The ICE ufrag of an endpoint's bridge side: "br" and its id without the dashes SDP does not allow there. */
    public static String ufragOf(String endpointId) {
        return "br" + endpointId.replace("-", "");
    }

    @Override
    public String id() {
        return "fake-bridge";
    }

    @Override
    public synchronized ConferenceReply apply(ConferenceRequest request) throws BridgeException {
        applied.add(request);
        if (bug != null) {
            throw bug;
        }
        if (failure != null) {
            throw failure;
        }
        Map<String, List<MediaSource>> endpoints = request.create()
                ? conferences.computeIfAbsent(request.meetingId().value(), id -> new LinkedHashMap<>())
                : conferences.get(request.meetingId().value());
        if (endpoints == null) {
            throw new BridgeException.NotFound("no conference " + request.meetingId());
        }
        List<ConferenceReply.EndpointReply> replies = new ArrayList<>();
        boolean created = false;
        for (EndpointRequest endpoint : request.endpoints()) {
            if (endpoint.create()) {
                if (endpoints.containsKey(endpoint.id())) {
                    throw new BridgeException.BadRequest("endpoint " + endpoint.id() + " exists");
                }
                endpoints.put(endpoint.id(), endpoint.sources() == null ? List.of() : endpoint.sources());
                created = true;
                replies.add(new ConferenceReply.EndpointReply(endpoint.id(), transport(endpoint.id()), false));
            } else if (!endpoints.containsKey(endpoint.id())) {
                throw new BridgeException.NotFound("no endpoint " + endpoint.id());
            } else if (endpoint.expire()) {
                endpoints.remove(endpoint.id());
                replies.add(new ConferenceReply.EndpointReply(endpoint.id(), null, true));
            } else {
                if (endpoint.sources() != null) {
                    endpoints.put(endpoint.id(), endpoint.sources());
                }
                replies.add(new ConferenceReply.EndpointReply(endpoint.id(), null, false));
            }
        }
        List<ConferenceReply.RelayReply> relayReplies = new ArrayList<>();
        Map<String, Map<String, List<MediaSource>>> mine =
                relays.computeIfAbsent(request.meetingId().value(), id -> new LinkedHashMap<>());
        for (RelayRequest relay : request.relays()) {
            if (relay.create()) {
                if (mine.containsKey(relay.id())) {
                    throw new BridgeException.BadRequest("relay " + relay.id() + " exists");
                }
                mine.put(relay.id(), new LinkedHashMap<>());
                relayReplies.add(new ConferenceReply.RelayReply(relay.id(), transport("relay" + relay.id()), false));
            } else if (!mine.containsKey(relay.id())) {
                throw new BridgeException.NotFound("no relay " + relay.id());
            } else if (relay.expire()) {
                mine.remove(relay.id());
                relayReplies.add(new ConferenceReply.RelayReply(relay.id(), null, true));
                continue;
            }
            Map<String, List<MediaSource>> remotes = mine.get(relay.id());
            for (RelayRequest.RemoteEndpoint remote : relay.endpoints()) {
                if (remote.create()) {
                    for (List<MediaSource> other : remotes.values()) {
                        // As the bridge: an SSRC two remote endpoints declare is refused.
                        if (other.stream().flatMap(m -> m.ssrcs().stream()).anyMatch(x -> remote.sources().stream()
                                .flatMap(m -> m.ssrcs().stream()).anyMatch(y -> y.ssrc() == x.ssrc()))) {
                            throw new BridgeException.BadRequest("SSRC already sent on relay " + relay.id());
                        }
                    }
                    remotes.put(remote.id(), remote.sources());
                } else if (remote.expire()) {
                    remotes.remove(remote.id());
                } else if (remote.sources() != null) {
                    remotes.put(remote.id(), remote.sources());
                }
            }
            if (!relay.create()) {
                relayReplies.add(new ConferenceReply.RelayReply(relay.id(), null, false));
            }
        }
        return new ConferenceReply(replies, created ? FEEDBACK : List.of(), relayReplies);
    }

    private static TransportDescription transport(String endpointId) {
        return new TransportDescription(ufragOf(endpointId), "fakebridgepassword0123456789",
                List.of(new TransportDescription.Fingerprint("sha-256", FINGERPRINT, SetupRole.ACTPASS)),
                List.of(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "10.99.0.1", 10000, "host")),
                true);
    }

    /** Its endpoints, without traffic; NotFound for a conference it does not hold. */
    @Override
    public synchronized io.livedesk.media.api.ConferenceStats conferenceStats(MeetingId meetingId) throws BridgeException {
        Map<String, List<MediaSource>> endpoints = conferences.get(meetingId.value());
        if (endpoints == null) {
            throw new BridgeException.NotFound("no conference " + meetingId);
        }
        return new io.livedesk.media.api.ConferenceStats(meetingId, endpoints.size(), 0, 0, 0, 0, 0, List.of());
    }

    @Override
    public synchronized void expire(MeetingId meetingId) {
        expired.add(meetingId.value());
        conferences.remove(meetingId.value());
        relays.remove(meetingId.value());
    }

    @Override
    public synchronized BridgeStats stats() {
        int endpoints = conferences.values().stream().mapToInt(Map::size).sum();
        return new BridgeStats(0.0, conferences.size(), endpoints, true, false, false, 0, 0, 0, 0);
    }

    @Override
    public void close() {
    }

    // ---- what tests read and steer ----

    /** Every conference request, in order. */
    public synchronized List<ConferenceRequest> requests() {
        return List.copyOf(applied);
    }

    /** The endpoint requests of every conference request, in order. */
    public synchronized List<EndpointRequest> endpointRequests() {
        return applied.stream().flatMap(r -> r.endpoints().stream()).toList();
    }

    public synchronized List<String> expiredConferences() {
        return List.copyOf(expired);
    }

    public synchronized boolean hasConference(String meetingId) {
        return conferences.containsKey(meetingId);
    }

    /** The endpoints of a conference now, in order of creation; empty if there is none. */
    public synchronized List<String> endpoints(String meetingId) {
        return List.copyOf(conferences.getOrDefault(meetingId, Map.of()).keySet());
    }

    /** The sources an endpoint declared last. */
    public synchronized Optional<List<MediaSource>> sourcesOf(String meetingId, String endpointId) {
        return Optional.ofNullable(conferences.getOrDefault(meetingId, Map.of()).get(endpointId));
    }

    /** The relays of a conference now, by relay id, each with its remote endpoints (in order) and their sources. */
    public synchronized Map<String, Map<String, List<MediaSource>>> relaysOf(String meetingId) {
        Map<String, Map<String, List<MediaSource>>> out = new LinkedHashMap<>();
        relays.getOrDefault(meetingId, Map.of()).forEach((id, remotes) -> out.put(id, new LinkedHashMap<>(remotes)));
        return out;
    }

    /** As a bridge that expired an endpoint on its own (ICE failed, no media for too long). */
    public synchronized void forgetEndpoint(String meetingId, String endpointId) {
        conferences.getOrDefault(meetingId, new LinkedHashMap<>()).remove(endpointId);
    }

    /** As a bridge that went down and came back empty. */
    public synchronized void forgetEverything() {
        conferences.clear();
        relays.clear();
    }

    /** Every request fails with this until cleared with null. */
    public synchronized void failWith(BridgeException e) {
        this.failure = e;
    }

    /** Every request throws this (a defect in a bridge client) until cleared with null. */
    public synchronized void breakWith(RuntimeException e) {
        this.bug = e;
    }
}
