package io.livedesk.bench.sockets;

import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.RelayRequest;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.colibri.Colibri2Client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two LiveDesk bridge nodes, each its own process with the same media I/O, joined by a relay for the
 * {@link Scenario#relay relay} scenario: the first conference on bridge A, the second on bridge B, and the relay
 * opened over Colibri2 {@code relays} as signaling's {@code CarrierRelay} opens one for a broadcast's further
 * carrier: a relay on B (not ICE-controlling) listing the sender with its sources and the codecs it sends with, one
 * on A (ICE-controlling) listing nothing (B's viewers send nothing), then each given the other's transport. The
 * sender's flow is received by A's viewers directly and by B's over the relay.
 */
final class RelayTarget implements AutoCloseable {
    /** The relay's id on A: it names the bridge at the other end, as signaling's relay ids do. */
    static final String ON_A = "bridge-b";
    /** Its id on B. */
    static final String ON_B = "bridge-a";
    private static final String MESH = "bench-mesh";
    private static final Duration RELAY_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final LiveDeskTarget a;
    private final LiveDeskTarget b;
    private MeetingId meetingA;
    private MeetingId meetingB;

    private RelayTarget(LiveDeskTarget a, LiveDeskTarget b) {
        this.a = a;
        this.b = b;
    }

    /** @param jvmOptions more options for both bridges' JVMs; a {@code .jfr} file name gets the I/O and side */
    static RelayTarget start(String io, String heap, List<String> jvmOptions, Duration connectTimeout,
                             int connectParallelism) throws Exception {
        LiveDeskTarget a = LiveDeskTarget.start(io, heap, forSide(jvmOptions, io + "-a"), connectTimeout,
                connectParallelism);
        try {
            return new RelayTarget(a, LiveDeskTarget.start(io, heap, forSide(jvmOptions, io + "-b"), connectTimeout,
                    connectParallelism));
        } catch (Exception | Error e) {
            a.close();
            throw e;
        }
    }

    private static List<String> forSide(List<String> jvmOptions, String side) {
        return jvmOptions.stream().map(o -> o.replace(".jfr", "-" + side + ".jfr")).toList();
    }

    String name() {
        return a.name();
    }

    long pidA() {
        return a.pid();
    }

    long pidB() {
        return b.pid();
    }

    /**
     * Allocates and connects both sides' endpoints, opens the relay and waits until it is connected on both ends.
     *
     * @return the one flow: the sender on A, received by every viewer of both sides
     */
    Flow connect(Scenario relay, Peers onA, Peers onB) throws Exception {
        Scenario.Conference first = relay.conferences().get(0);
        Scenario.Conference further = relay.conferences().get(1);
        List<Flow> flows = a.connect(new Scenario("live", List.of(first)), onA);
        b.connect(new Scenario("live", List.of(further)), onB);
        Flow direct = flows.get(0);
        Scenario.Member sender = first.senders().get(0);
        List<SrtpPeer> receivers = new ArrayList<>(direct.receivers());
        for (SrtpPeer viewer : onB.snapshot()) {
            viewer.expect(sender.ssrc(), sender.ssrc(), SrtpPeer.VIDEO_PT);
            receivers.add(viewer);
        }
        meetingA = LiveDeskTarget.meetingOf(first);
        meetingB = LiveDeskTarget.meetingOf(further);
        open(sender);
        return new Flow(direct.sender(), direct.ssrc(), receivers);
    }

    /** As CarrierRelay.open: the further side first, listing the sender; then the first side; then the swap. */
    private void open(Scenario.Member sender) throws Exception {
        Colibri2Client colibriA = a.colibri();
        Colibri2Client colibriB = b.colibri();
        RelayRequest.Builder farSide = RelayRequest.creating(ON_B, MESH, false)
                .medias(LiveDeskTarget.transportCcMedias())
                .endpoint(RelayRequest.RemoteEndpoint.creating(sender.name(), sender.name(),
                        LiveDeskTarget.plainSources(sender)));
        TransportDescription bSide = transportOf(colibriB.apply(ConferenceRequest.modifying(meetingB)
                .relay(farSide).build()), ON_B);
        TransportDescription aSide = transportOf(colibriA.apply(ConferenceRequest.modifying(meetingA)
                .relay(RelayRequest.creating(ON_A, MESH, true)).build()), ON_A);
        colibriB.apply(ConferenceRequest.modifying(meetingB).relay(RelayRequest.updating(ON_B).remoteTransport(aSide))
                .build());
        colibriA.apply(ConferenceRequest.modifying(meetingA).relay(RelayRequest.updating(ON_A).remoteTransport(bSide))
                .build());
        long deadline = System.nanoTime() + RELAY_CONNECT_TIMEOUT.toNanos();
        while (!(relayOnA().connected() && relayOnB().connected())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the relay did not connect within " + RELAY_CONNECT_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    private static TransportDescription transportOf(ConferenceReply reply, String relayId) {
        TransportDescription t = reply.relay(relayId).map(ConferenceReply.RelayReply::transport).orElse(null);
        if (t == null) {
            throw new IllegalStateException("the bridge created relay " + relayId + " without a transport");
        }
        return t;
    }

    /** The relay's stats on A: its packets out are what A sent over it (RTP and RTCP). */
    EndpointStats relayOnA() throws Exception {
        return relayOf(a.colibri(), meetingA, ON_A);
    }

    /** On B: its packets in are what arrived over it. */
    EndpointStats relayOnB() throws Exception {
        return relayOf(b.colibri(), meetingB, ON_B);
    }

    private static EndpointStats relayOf(Colibri2Client colibri, MeetingId meeting, String id) throws Exception {
        return colibri.conferenceStats(meeting).relays().stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no relay " + id + " on " + meeting));
    }

    @Override
    public void close() throws Exception {
        try {
            b.close();
        } finally {
            a.close();
        }
    }
}
