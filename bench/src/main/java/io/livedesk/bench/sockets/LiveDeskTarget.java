package io.livedesk.bench.sockets;

import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.colibri.Colibri2Client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A LiveDesk bridge node in its own process with one media I/O, driven over Colibri2: a conference per
 * scenario meeting, one endpoint (one transport) per member, which sends its stream and receives the others'.
 * The bridge forwards SSRCs as they are.
 */
final class LiveDeskTarget implements Target {
    private final String io;
    private final BridgeProcess process;
    private final Colibri2Client bridge;
    private final Duration connectTimeout;
    private final int connectParallelism;

    private LiveDeskTarget(String io, BridgeProcess process, Colibri2Client bridge, Duration connectTimeout,
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
        BridgeProcess process = BridgeProcess.start(io, heap, jvmOptions);
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
            allocate(conference, endpoints);
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

    /** The conference with an endpoint per member, then every endpoint connected. */
    private void allocate(Scenario.Conference conference, Map<Scenario.Member, SrtpPeer> endpoints) throws Exception {
        MeetingId meeting = new MeetingId("bench-" + conference.id());
        ConferenceRequest.Builder request = ConferenceRequest.creating(meeting).name(meeting.value());
        for (Scenario.Member m : conference.members()) {
            List<MediaSource> sources = !m.sends() ? List.of() : List.of(new MediaSource(MediaType.VIDEO,
                    m.name() + "-v0", List.of(new MediaSource.Ssrc(m.ssrc(), m.name())), List.of()));
            request.endpoint(EndpointRequest.creating(m.name()).statsId(m.name())
                    .remoteTransport(endpoints.get(m).description()).sources(sources).build());
        }
        ConferenceReply reply = bridge.apply(request.build());
        List<Concurrently.Task> connects = new ArrayList<>();
        for (int i = 0; i < conference.members().size(); i++) {
            SrtpPeer peer = endpoints.get(conference.members().get(i));
            var transport = reply.endpoints().get(i).transport();
            connects.add(() -> peer.connect(transport, connectTimeout));
        }
        Concurrently.run(connectParallelism, connects);
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
