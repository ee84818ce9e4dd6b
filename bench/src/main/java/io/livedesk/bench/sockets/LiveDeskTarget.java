package io.livedesk.bench.sockets;

import io.livedesk.media.api.ConferenceNames;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.HeaderExtension;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.PayloadType;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.colibri.Colibri2Client;
import io.livedesk.media.sdp.Extmap;
import io.livedesk.media.sdp.Simulcast;
import io.livedesk.testkit.bridge.BridgeNodeProcess;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A LiveDesk bridge node in its own process with one media I/O, driven over Colibri2: a conference per
 * scenario meeting, one endpoint (one transport) per member, which sends its stream and receives the others'.
 * The bridge forwards SSRCs as they are. A simulcast scenario's sender is declared as signaling declares a browser's
 * rid-simulcast track ({@code BridgeSdp.sources}: the rids and the one receiver SSRC, the rid extension among its
 * medias); each viewer says the height it shows video at, and expects the layer rewritten onto the receiver SSRC.
 */
final class LiveDeskTarget implements Target {
    /** Endpoints allocated per Colibri2 request: a thousand in one body exceed the bridge's request limit. */
    static final int ENDPOINTS_PER_REQUEST = 100;
    private final String io;
    private final BridgeNodeProcess process;
    private final Colibri2Client bridge;
    private final Duration connectTimeout;
    private final int connectParallelism;

    private LiveDeskTarget(String io, BridgeNodeProcess process, Colibri2Client bridge, Duration connectTimeout,
                           int connectParallelism) {
        this.io = io;
        this.process = process;
        this.bridge = bridge;
        this.connectTimeout = connectTimeout;
        this.connectParallelism = connectParallelism;
    }

    /**
     * @param jvmOptions more options for the bridge's JVM
     * @param connectTimeout how long one endpoint's ICE and DTLS may take
     */
    static LiveDeskTarget start(String io, String heap, List<String> jvmOptions, Duration connectTimeout,
                                int connectParallelism) throws Exception {
        BridgeNodeProcess process = BridgeNodeProcess.start(io, heap, jvmOptions);
        try {
            Colibri2Client client = new Colibri2Client("bench-" + io,
                    Colibri2Client.Options.of(URI.create(process.colibriUrl())));
            return new LiveDeskTarget(io, process, client, connectTimeout, connectParallelism);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return io;
    }

    /** Its Colibri2 client, for requests beyond a scenario's conferences (a relay's). */
    Colibri2Client colibri() {
        return bridge;
    }

    /** The meeting id a scenario conference has on the bridge. */
    static MeetingId meetingOf(Scenario.Conference conference) {
        return new MeetingId("bench-" + conference.id());
    }

    /** What a plain (not simulcast) sender declares: its one video SSRC. */
    static List<MediaSource> plainSources(Scenario.Member m) {
        return List.of(new MediaSource(MediaType.VIDEO, m.name() + "-v0",
                List.of(new MediaSource.Ssrc(m.ssrc(), m.name())), List.of()));
    }

    @Override
    public long allocatedBytes() throws InterruptedException {
        return new AllocatedBytes(process.colibriUrl()).read();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public List<Flow> connect(Scenario scenario, Peers peers) throws Exception {
        List<Flow> flows = new ArrayList<>();
        for (Scenario.Conference conference : scenario.conferences()) {
            Map<Scenario.Member, SrtpPeer> endpoints = new HashMap<>();
            for (Scenario.Member m : conference.members()) {
                endpoints.put(m, peers.create(conference.id() + "-" + m.name()));
            }
            allocate(conference, endpoints, scenario.simulcast());
            if (scenario.simulcast()) {
                flows.addAll(simulcastFlows(conference, endpoints));
                continue;
            }
            for (Scenario.Member sender : conference.senders()) {
                List<SrtpPeer> receivers = new ArrayList<>();
                for (Scenario.Member r : conference.receiversOf(sender)) {
                    endpoints.get(r).expect(sender.ssrc(), sender.ssrc(), SrtpPeer.VIDEO_PT);
                    receivers.add(endpoints.get(r));
                }
                flows.add(new Flow(endpoints.get(sender), sender.ssrc(), receivers));
            }
        }
        return flows;
    }

    /** One flow per layer, its receivers those that should end up on it; every viewer expects the receiver SSRC. */
    private static List<Flow> simulcastFlows(Scenario.Conference conference, Map<Scenario.Member, SrtpPeer> endpoints) {
        Scenario.Member sender = conference.senders().get(0);
        Map<SrtpPeer, SimulcastLayers.Layer> expected = new java.util.LinkedHashMap<>();
        for (Scenario.Member r : conference.receiversOf(sender)) {
            SimulcastLayers.Layer layer = SimulcastLayers.expectedFor(r.maxVideoHeight());
            endpoints.get(r).expectSimulcast(SimulcastLayers.receiverSsrc(), layer);
            expected.put(endpoints.get(r), layer);
        }
        return SimulcastLayers.flows(endpoints.get(sender), expected);
    }

    /** What a simulcast sender declares: the track by its rids, on the SSRC its receivers get. */
    private static MediaSource simulcastSource(Scenario.Member m) {
        return new MediaSource(MediaType.VIDEO, SimulcastLayers.TRACK_ID,
                List.of(new MediaSource.Ssrc(SimulcastLayers.receiverSsrc(), m.name())), List.of(),
                SimulcastLayers.rids());
    }

    /** VP8 and the rid header extension, as the sender's offer would list them. */
    private static List<Media> simulcastMedias() {
        return List.of(new Media(MediaType.VIDEO,
                List.of(new PayloadType(SrtpPeer.VIDEO_PT, "VP8", 90000, 1, Map.of(), List.of())),
                List.of(new HeaderExtension(SimulcastLayers.RID_EXTENSION_ID, Simulcast.RTP_STREAM_ID))));
    }

    /**
     * VP8 with transport-cc, as a browser negotiates it: the bridge then gives senders transport-cc feedback and
     * numbers every copy per receiver (its send-side estimation), the per-packet work a browser call costs it.
     */
    static List<Media> transportCcMedias() {
        return List.of(new Media(MediaType.VIDEO,
                List.of(new PayloadType(SrtpPeer.VIDEO_PT, "VP8", 90000, 1, Map.of(),
                        List.of(new PayloadType.RtcpFeedback("transport-cc", "")))),
                List.of(new HeaderExtension(SrtpPeer.TRANSPORT_CC_EXTENSION_ID, Extmap.TRANSPORT_WIDE_CC))));
    }

    /**
     * The conference with an endpoint per member, {@value #ENDPOINTS_PER_REQUEST} endpoints per Colibri2
     * request (the bridge refuses large bodies with 413), each batch connected before the next is allocated: the
     * ice4j port's agents stop checking if their endpoint does not connect within some seconds of allocation.
     */
    private void allocate(Scenario.Conference conference, Map<Scenario.Member, SrtpPeer> endpoints, boolean simulcast)
            throws Exception {
        MeetingId meeting = meetingOf(conference);
        List<Scenario.Member> members = conference.members();
        for (int from = 0; from < members.size(); from += ENDPOINTS_PER_REQUEST) {
            List<Scenario.Member> batch = members.subList(from, Math.min(members.size(), from + ENDPOINTS_PER_REQUEST));
            ConferenceRequest.Builder request = from == 0
                    ? ConferenceRequest.creating(meeting).name(ConferenceNames.of(meeting)) : ConferenceRequest.modifying(meeting);
            for (Scenario.Member m : batch) {
                List<MediaSource> sources = !m.sends() ? List.of() : simulcast ? List.of(simulcastSource(m))
                        : plainSources(m);
                EndpointRequest.Builder endpoint = EndpointRequest.creating(m.name()).statsId(m.name())
                        .remoteTransport(endpoints.get(m).description()).sources(sources);
                if (simulcast && m.sends()) {
                    endpoint.medias(simulcastMedias());
                } else if (!simulcast) {
                    endpoint.medias(transportCcMedias());
                }
                if (m.maxVideoHeight() > 0) {
                    endpoint.maxVideoHeight(m.maxVideoHeight());
                }
                request.endpoint(endpoint.build());
            }
            Map<String, TransportDescription> bridgeSides = new HashMap<>();
            for (ConferenceReply.EndpointReply e : bridge.apply(request.build()).endpoints()) {
                bridgeSides.put(e.id(), e.transport());
            }
            List<Concurrently.Task> connects = new ArrayList<>();
            for (Scenario.Member m : batch) {
                SrtpPeer peer = endpoints.get(m);
                TransportDescription bridgeSide = bridgeSides.get(m.name());
                if (bridgeSide == null) {
                    throw new IllegalStateException("the bridge created no endpoint " + m.name());
                }
                connects.add(() -> peer.connect(bridgeSide, connectTimeout));
            }
            Concurrently.run(connectParallelism, connects);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            bridge.close();
        } finally {
            process.close();
        }
    }
}
