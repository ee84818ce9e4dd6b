package io.livedesk.bench.sockets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livedesk.media.api.SetupRole;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Janus (its videoroom plugin) as the server under test, driven over its HTTP API as a Janus application
 * would: a room per scenario meeting; each member that sends joins as a publisher and offers its one VP8
 * stream; each member that receives joins as a subscriber to the others' feeds, Janus offers, the member
 * answers. In the videoroom a publisher's and a subscriber's PeerConnections are separate, so a member that
 * sends and receives has two endpoints here where LiveDesk has one.
 *
 * <p>Roles, as Janus 1.1 takes them: to a publisher's offer ({@code actpass}) it answers {@code active} and is
 * ICE controlled, so the publisher is the DTLS server and controls ICE; to its own subscriber offer
 * ({@code actpass}, full ICE) the subscriber answers {@code active}, so it is the DTLS client and ICE
 * controlled. Janus sends each subscriber its own SSRC per stream, and rewrites sequence numbers and
 * timestamps: the subscriber learns from the offer's {@code a=ssrc} and the join event's {@code streams}
 * which SSRC carries which publisher's stream.
 *
 * <p>With a simulcast sender ({@code --simulcast}) the publisher offers three layers by rid and each viewer gets the
 * one substream Janus picks for it rewritten onto its one SSRC (sequence numbers, timestamps and VP8 picture ids
 * going on across a switch); viewers capped at {@link SimulcastLayers#CAPPED_HEIGHT} ask for the lowest.
 */
final class JanusTarget implements Target {
    static final String VIDEOROOM = "janus.plugin.videoroom";
    /** Room and feed ids start here, to read as the benchmark's in Janus's log. */
    private static final long FIRST_ROOM = 1000;
    private static final long FIRST_FEED = 1;

    private final Options options;
    private final JanusProcess process;
    private final JanusClient client;

    /**
     * How to run Janus and how long its steps may take.
     *
     * @param binary             the janus executable
     * @param libraryFolder      the folder with its plugins/ and transports/
     * @param iceAddress         the loopback address its ICE gathers ({@link LoopbackNamespace})
     * @param debugLevel         its log level
     * @param eventLoops         0 for a thread per handle (Janus's default), else that many shared loops
     * @param startTimeout       until its API answers
     * @param requestTimeout     one API request and its event
     * @param connectTimeout     one endpoint's ICE and DTLS, and Janus's {@code webrtcup} after it
     * @param connectParallelism endpoints connected at once
     */
    record Options(String binary, Path libraryFolder, String iceAddress, int debugLevel, int eventLoops,
                   Duration startTimeout, Duration requestTimeout, Duration connectTimeout, int connectParallelism) {
    }

    private JanusTarget(Options options, JanusProcess process, JanusClient client) {
        this.options = options;
        this.process = process;
        this.client = client;
    }

    static JanusTarget start(Options options) throws Exception {
        JanusProcess process = JanusProcess.start(options.binary(), options.libraryFolder(), options.iceAddress(),
                options.debugLevel(), options.eventLoops(), options.startTimeout());
        try {
            return new JanusTarget(options, process, new JanusClient(process.apiUrl(), options.requestTimeout()));
        } catch (Exception e) {
            process.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return options.eventLoops() == 0 ? "janus" : "janus/" + options.eventLoops() + "loops";
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** A feed in a room: the publisher's endpoint and the SSRC it sends. */
    private record Feed(long id, SrtpPeer peer, long ssrc) {
    }

    @Override
    public List<Flow> connect(Scenario scenario, Peers peers) throws Exception {
        if (scenario.simulcast()) {
            return connectSimulcast(scenario, peers);
        }
        long control = client.attach(VIDEOROOM);
        Map<String, Feed> feeds = new ConcurrentHashMap<>();
        Map<String, SrtpPeer> subscribers = new ConcurrentHashMap<>();
        List<Concurrently.Task> publishing = new ArrayList<>();
        List<Concurrently.Task> subscribing = new ArrayList<>();
        long nextRoom = FIRST_ROOM;
        long nextFeed = FIRST_FEED;
        for (Scenario.Conference conference : scenario.conferences()) {
            long room = nextRoom++;
            createRoom(control, room, conference.senders().size());
            for (Scenario.Member sender : conference.senders()) {
                long feedId = nextFeed++;
                String key = key(conference, sender);
                publishing.add(() -> feeds.put(key, publish(peers, room, feedId, key, sender.ssrc())));
            }
            for (Scenario.Member member : conference.members()) {
                List<Scenario.Member> from = conference.sendersTo(member);
                if (!from.isEmpty()) {
                    String key = key(conference, member);
                    subscribing.add(() -> subscribers.put(key, subscribe(peers, room, key,
                            from.stream().map(s -> feeds.get(key(conference, s))).toList())));
                }
            }
        }
        // A feed can be subscribed to once its publisher's PeerConnection is up.
        Concurrently.run(options.connectParallelism(), publishing);
        Concurrently.run(options.connectParallelism(), subscribing);
        List<Flow> flows = new ArrayList<>();
        for (Scenario.Conference conference : scenario.conferences()) {
            for (Scenario.Member sender : conference.senders()) {
                Feed feed = feeds.get(key(conference, sender));
                List<SrtpPeer> receivers = conference.receiversOf(sender).stream()
                        .map(r -> subscribers.get(key(conference, r))).toList();
                flows.add(new Flow(feed.peer(), feed.ssrc(), receivers));
            }
        }
        return flows;
    }

    /**
     * The live scenario with a simulcasting sender: it publishes with a rid simulcast offer and sends the mid extension
     * too; each viewer subscribes to the feed, Janus sends it one substream on the SSRC it offered (substream 2, the
     * highest, by default) and rewrites the others onto it; a viewer capped at {@link SimulcastLayers#CAPPED_HEIGHT}
     * asks for substream 0 ({@code configure} with {@code substream}), as an application maps a small tile to it.
     */
    private List<Flow> connectSimulcast(Scenario scenario, Peers peers) throws Exception {
        List<Flow> flows = new ArrayList<>();
        long control = client.attach(VIDEOROOM);
        long nextRoom = FIRST_ROOM;
        long nextFeed = FIRST_FEED;
        for (Scenario.Conference conference : scenario.conferences()) {
            long room = nextRoom++;
            createRoom(control, room, 1);
            Scenario.Member sender = conference.senders().get(0);
            Feed feed = publishSimulcast(peers, room, nextFeed++, key(conference, sender));
            Map<Scenario.Member, SrtpPeer> viewers = new ConcurrentHashMap<>();
            List<Concurrently.Task> subscribing = new ArrayList<>();
            for (Scenario.Member viewer : conference.receiversOf(sender)) {
                subscribing.add(() -> viewers.put(viewer, subscribeSimulcast(peers, room, key(conference, viewer), feed,
                        SimulcastLayers.expectedFor(viewer.maxVideoHeight()))));
            }
            Concurrently.run(options.connectParallelism(), subscribing);
            Map<SrtpPeer, SimulcastLayers.Layer> ordered = new java.util.LinkedHashMap<>();
            for (Scenario.Member viewer : conference.receiversOf(sender)) {
                ordered.put(viewers.get(viewer), SimulcastLayers.expectedFor(viewer.maxVideoHeight()));
            }
            flows.addAll(SimulcastLayers.flows(feed.peer(), ordered));
        }
        return flows;
    }

    /** Joins as publisher, offers the three layers by rid, connects, and waits until Janus has it up. */
    private Feed publishSimulcast(Peers peers, long room, long feedId, String name) throws Exception {
        SrtpPeer peer = peers.create("janus-" + name + "-pub");
        peer.sendMid("0");
        long handle = client.attach(VIDEOROOM);
        client.message(handle, JanusClient.object().put("request", "join").put("ptype", "publisher").put("room", room)
                .put("id", feedId).put("display", name), null);
        String offer = JanusSdp.publisherSimulcastOffer(peer.local(SetupRole.ACTPASS), name, SimulcastLayers.rids());
        JanusClient.Event answer = client.message(handle, JanusClient.object().put("request", "publish"),
                jsep("offer", offer));
        JanusSdp.Remote janus = JanusSdp.parse(sdpOf(answer));
        peer.connect(janus.transport(), JanusSdp.iceRole(false, janus.transport().iceLite()),
                JanusSdp.dtlsRole(janus.transport().fingerprints().get(0).setup()), options.connectTimeout());
        client.awaitWebrtcUp(handle, options.connectTimeout());
        return new Feed(feedId, peer, SimulcastLayers.LAYERS.get(0).ssrc());
    }

    /**
     * Joins as subscriber to the simulcast feed, expects whichever layer Janus rewrites onto the one SSRC it offers,
     * answers, connects, waits for {@code webrtcup}, and asks for {@code layer}'s substream unless it is Janus's
     * default (the highest).
     */
    private SrtpPeer subscribeSimulcast(Peers peers, long room, String name, Feed feed, SimulcastLayers.Layer layer)
            throws Exception {
        SrtpPeer peer = peers.create("janus-" + name + "-sub");
        long handle = client.attach(VIDEOROOM);
        ObjectNode join = JanusClient.object().put("request", "join").put("ptype", "subscriber").put("room", room);
        join.putArray("streams").addObject().put("feed", feed.id());
        JanusClient.Event attached = client.message(handle, join, null);
        JanusSdp.Remote janus = JanusSdp.parse(sdpOf(attached));
        if (janus.streams().size() != 1 || janus.streams().get(0).payloadType() != SrtpPeer.VIDEO_PT) {
            throw new IllegalStateException("Janus offered " + janus.streams() + " for one VP8 feed, not one stream with"
                    + " payload type " + SrtpPeer.VIDEO_PT);
        }
        JanusSdp.Stream stream = janus.streams().get(0);
        peer.expectSimulcast(stream.ssrc(), layer);
        String answer = JanusSdp.subscriberAnswer(peer.local(SetupRole.ACTIVE), janus.sdp());
        client.message(handle, JanusClient.object().put("request", "start"), jsep("answer", answer));
        peer.connect(janus.transport(), JanusSdp.iceRole(true, janus.transport().iceLite()),
                JanusSdp.dtlsRole(janus.transport().fingerprints().get(0).setup()), options.connectTimeout());
        client.awaitWebrtcUp(handle, options.connectTimeout());
        int substream = SimulcastLayers.janusSubstream(layer);
        if (substream != SimulcastLayers.janusSubstream(SimulcastLayers.LAYERS.get(0))) {
            ObjectNode configure = JanusClient.object().put("request", "configure");
            configure.putArray("streams").addObject().put("mid", stream.mid()).put("substream", substream);
            client.message(handle, configure, null);
        }
        return peer;
    }

    private static String key(Scenario.Conference conference, Scenario.Member member) {
        return conference.id() + "-" + member.name();
    }

    private void createRoom(long handle, long room, int publishers) throws Exception {
        ObjectNode create = JanusClient.object().put("request", "create").put("room", room)
                .put("description", "livedesk-bench " + room).put("publishers", Math.max(1, publishers))
                // No bitrate cap (REMB) and no periodic keyframe requests: the synthetic senders ignore both.
                .put("bitrate", 0).put("fir_freq", 0).put("videocodec", "vp8").put("notify_joining", false);
        client.request(handle, create);
    }

    /** Joins as publisher, offers one VP8 stream, connects, and waits until Janus has it up. */
    private Feed publish(Peers peers, long room, long feedId, String name, long ssrc) throws Exception {
        SrtpPeer peer = peers.create("janus-" + name + "-pub");
        long handle = client.attach(VIDEOROOM);
        client.message(handle, JanusClient.object().put("request", "join").put("ptype", "publisher").put("room", room)
                .put("id", feedId).put("display", name), null);
        String offer = JanusSdp.publisherOffer(peer.local(SetupRole.ACTPASS), ssrc, name);
        JanusClient.Event answer = client.message(handle, JanusClient.object().put("request", "publish"), jsep("offer", offer));
        JanusSdp.Remote janus = JanusSdp.parse(sdpOf(answer));
        peer.connect(janus.transport(), JanusSdp.iceRole(false, janus.transport().iceLite()),
                JanusSdp.dtlsRole(janus.transport().fingerprints().get(0).setup()), options.connectTimeout());
        client.awaitWebrtcUp(handle, options.connectTimeout());
        return new Feed(feedId, peer, ssrc);
    }

    /** Joins as subscriber to {@code feeds}, answers Janus's offer, connects, and waits until Janus has it up. */
    private SrtpPeer subscribe(Peers peers, long room, String name, List<Feed> feeds) throws Exception {
        SrtpPeer peer = peers.create("janus-" + name + "-sub");
        long handle = client.attach(VIDEOROOM);
        ObjectNode join = JanusClient.object().put("request", "join").put("ptype", "subscriber").put("room", room);
        ArrayNode streams = join.putArray("streams");
        feeds.forEach(f -> streams.addObject().put("feed", f.id()));
        JanusClient.Event attached = client.message(handle, join, null);
        JanusSdp.Remote janus = JanusSdp.parse(sdpOf(attached));
        Map<String, Long> feedByMid = new HashMap<>();
        for (JsonNode s : attached.data().path("streams")) {
            feedByMid.put(s.path("mid").asText(), s.path("feed_id").asLong());
        }
        for (JanusSdp.Stream s : janus.streams()) {
            Long feedId = feedByMid.get(s.mid());
            Feed feed = feeds.stream().filter(f -> feedId != null && f.id() == feedId).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Janus offered mid " + s.mid() + " for no feed asked for"));
            peer.expect(s.ssrc(), feed.ssrc(), s.payloadType());
        }
        String answer = JanusSdp.subscriberAnswer(peer.local(SetupRole.ACTIVE), janus.sdp());
        client.message(handle, JanusClient.object().put("request", "start"), jsep("answer", answer));
        peer.connect(janus.transport(), JanusSdp.iceRole(true, janus.transport().iceLite()),
                JanusSdp.dtlsRole(janus.transport().fingerprints().get(0).setup()), options.connectTimeout());
        client.awaitWebrtcUp(handle, options.connectTimeout());
        return peer;
    }

    private static ObjectNode jsep(String type, String sdp) {
        // No trickle: every candidate is in the SDP.
        return JanusClient.object().put("type", type).put("sdp", sdp).put("trickle", false);
    }

    private static String sdpOf(JanusClient.Event event) {
        if (event.jsep() == null) {
            throw new IllegalStateException("Janus sent no SDP with " + event.data());
        }
        return event.jsep().path("sdp").asText();
    }

    @Override
    public String problems() {
        long hangups = client.hangups();
        return hangups == 0 ? null : hangups + " PeerConnections hung up (first: " + client.firstHangup() + ")";
    }

    @Override
    public void close() throws Exception {
        try {
            client.close();
        } finally {
            process.close();
        }
    }
}
