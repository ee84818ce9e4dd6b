package io.livedesk.media.colibri;

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
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in bridge that keeps which conferences and endpoints exist, answers like Jitsi Videobridge and
 * records every request, so a test can check what went over the wire.
 */
final class RecordingBridge implements Bridge {

    static final TransportDescription TRANSPORT = new TransportDescription("2cn811k8b61h4n", "1542inkpc7knkpa447t1q4s6h2",
            List.of(new TransportDescription.Fingerprint("sha-256",
                    "E6:C8:3F:84:FE:BD:E1:0D:E8:47:43:34:35:42:E6:17:6C:63:71:34:A3:C6:82:C7:17:DA:FA:C0:25:18:D0:2E",
                    SetupRole.ACTPASS)),
            List.of(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "10.99.0.1", 10000, "host")), true);
    static final List<MediaSource> FEEDBACK = List.of(
            new MediaSource(MediaType.AUDIO, "jvb-a0", List.of(new MediaSource.Ssrc(2794337770L, "jvb-a0")), List.of()),
            new MediaSource(MediaType.VIDEO, "jvb-v0", List.of(new MediaSource.Ssrc(801659477L, "jvb-v0")), List.of()));

    final List<ConferenceRequest> applied = new CopyOnWriteArrayList<>();
    final List<MeetingId> expired = new CopyOnWriteArrayList<>();
    final Map<MeetingId, Set<String>> conferences = new ConcurrentHashMap<>();
    volatile BridgeStats stats = new BridgeStats(0.1, 0, 0, true, false, false, 1, 2, 3, 4);
    volatile BridgeException failure;
    volatile RuntimeException bug;
    /** Like a bridge that predates conference statistics (the interface's default). */
    volatile boolean withoutConferenceStats;
    /** What {@link #mediaStatus} reports, for the conferences asked about; null: like a bridge that cannot tell. */
    volatile List<EndpointMedia> media;
    /** The conferences of each media-status request, in order. */
    final List<List<MeetingId>> mediaAsked = new CopyOnWriteArrayList<>();
    /** When set, calls wait for it: to hold bridge calls in flight. */
    volatile CountDownLatch gate;

    @Override
    public String id() {
        return "recording";
    }

    @Override
    public ConferenceReply apply(ConferenceRequest request) throws BridgeException {
        await();
        applied.add(request);
        if (failure != null) {
            throw failure;
        }
        if (bug != null) {
            throw bug;
        }
        Set<String> endpoints = request.create()
                ? conferences.computeIfAbsent(request.meetingId(), id -> ConcurrentHashMap.newKeySet())
                : conferences.get(request.meetingId());
        if (endpoints == null) {
            throw new BridgeException.NotFound("no conference " + request.meetingId());
        }
        List<ConferenceReply.EndpointReply> replies = new ArrayList<>();
        boolean created = false;
        for (EndpointRequest endpoint : request.endpoints()) {
            if (endpoint.create()) {
                endpoints.add(endpoint.id());
                created = true;
                replies.add(new ConferenceReply.EndpointReply(endpoint.id(), TRANSPORT, false));
            } else if (!endpoints.contains(endpoint.id())) {
                throw new BridgeException.NotFound("no endpoint " + endpoint.id());
            } else if (endpoint.expire()) {
                endpoints.remove(endpoint.id());
                replies.add(new ConferenceReply.EndpointReply(endpoint.id(), null, true));
            } else {
                replies.add(new ConferenceReply.EndpointReply(endpoint.id(), null, false));
            }
        }
        return new ConferenceReply(replies, created ? FEEDBACK : List.of());
    }

    @Override
    public void expire(MeetingId meetingId) throws BridgeException {
        await();
        expired.add(meetingId);
        conferences.remove(meetingId);
    }

    @Override
    public BridgeStats stats() throws BridgeException {
        await();
        if (failure != null) {
            throw failure;
        }
        return stats;
    }

    @Override
    public ConferenceStats conferenceStats(MeetingId meetingId) throws BridgeException {
        if (withoutConferenceStats) {
            return Bridge.super.conferenceStats(meetingId);
        }
        Set<String> endpoints = conferences.get(meetingId);
        if (endpoints == null) {
            throw new BridgeException.NotFound("no conference " + meetingId);
        }
        List<EndpointStats> stats = endpoints.stream().sorted()
                .map(id -> new EndpointStats(id, "stats-" + id, true, 10, 20, 1000, 2000, 1, 0.5, 12.5, 64_000,
                        128_000, 2_500_000, 1_200_000, 42, Map.of("unknown-ssrc", 3L)))
                .toList();
        return new ConferenceStats(meetingId, stats.size(), 10, 20, 1000, 2000, 3, stats);
    }

    @Override
    public List<EndpointMedia> mediaStatus(Collection<MeetingId> meetingIds) throws BridgeException {
        if (media == null) {
            return Bridge.super.mediaStatus(meetingIds);
        }
        mediaAsked.add(List.copyOf(meetingIds));
        return media.stream().filter(e -> meetingIds.contains(e.meetingId())).toList();
    }

    @Override
    public void close() {
    }

    private void await() {
        CountDownLatch latch = gate;
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
