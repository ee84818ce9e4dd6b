package io.livedesk.media.colibri;

import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.HeaderExtension;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.PayloadType;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.livedesk.media.colibri.Samples.MEETING;
import static io.livedesk.media.colibri.Samples.MEETING_ID;
import static io.livedesk.media.colibri.Samples.bytes;
import static io.livedesk.media.colibri.Samples.tree;
import static io.livedesk.media.colibri.Samples.withoutCandidateIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Colibri2 JSON ↔ api records, on the exact requests and replies of a real Jitsi Videobridge. */
class Colibri2JsonTest {

    private final Colibri2BridgeCodec bridgeSide = new Colibri2BridgeCodec();
    private final Colibri2ClientCodec clientSide = new Colibri2ClientCodec();

    @Test
    void parsesTheCreateRequest() throws Exception {
        ConferenceRequest request = bridgeSide.parseCreate(bytes("create-request.json"));

        assertEquals(MEETING_ID, request.meetingId());
        assertEquals("room1@example", request.name());
        assertTrue(request.create());
        assertFalse(request.expire());
        EndpointRequest ep = request.endpoints().get(0);
        assertEquals("ep1", ep.id());
        assertTrue(ep.create());
        assertEquals("alice", ep.statsId());
        assertTrue(ep.iceControlling());
        assertNull(ep.remoteTransport());

        Media audio = ep.medias().get(0);
        assertEquals(MediaType.AUDIO, audio.type());
        assertEquals(new PayloadType(111, "opus", 48000, 2, Map.of("useinbandfec", "1", "minptime", "10"),
                List.of(new PayloadType.RtcpFeedback("transport-cc", ""))), audio.payloadTypes().get(0));
        assertEquals(List.of(new HeaderExtension(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
                        new HeaderExtension(5, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01")),
                audio.headerExtensions());
        Media video = ep.medias().get(1);
        assertEquals(MediaType.VIDEO, video.type());
        PayloadType vp8 = video.payloadTypes().get(0);
        assertEquals(100, vp8.id());
        assertEquals(1, vp8.channels());
        assertEquals(List.of(new PayloadType.RtcpFeedback("ccm", "fir"), new PayloadType.RtcpFeedback("nack", ""),
                new PayloadType.RtcpFeedback("nack", "pli"), new PayloadType.RtcpFeedback("transport-cc", "")),
                vp8.rtcpFeedback());
        assertEquals(Map.of("apt", "100"), video.payloadTypes().get(1).parameters());

        assertEquals(List.of(
                new MediaSource(MediaType.AUDIO, "ep1-a0", List.of(new MediaSource.Ssrc(1001, "ep1-a0")), List.of()),
                new MediaSource(MediaType.VIDEO, "ep1-v0",
                        List.of(new MediaSource.Ssrc(2001, "ep1-v0"), new MediaSource.Ssrc(2002, "ep1-v0")),
                        List.of(new MediaSource.SsrcGroup("FID", List.of(2001L, 2002L))))), ep.sources());
    }

    @Test
    void writesTheCreateRequestExactlyAsJicofoDoes() throws Exception {
        ConferenceRequest request = bridgeSide.parseCreate(bytes("create-request.json"));

        byte[] written = clientSide.writeRequest(request);

        assertEquals(tree("create-request.json"), tree(written));
        assertEquals(request, bridgeSide.parseCreate(written));
    }

    @Test
    void createReplyRoundTrips() throws Exception {
        ConferenceReply reply = clientSide.parseReply(bytes("create-reply.json"));

        ConferenceReply.EndpointReply ep = reply.endpoints().get(0);
        assertEquals("ep1", ep.id());
        assertFalse(ep.expired());
        TransportDescription transport = ep.transport();
        assertEquals("2cn811k8b61h4n", transport.ufrag());
        assertEquals("1542inkpc7knkpa447t1q4s6h2", transport.pwd());
        assertTrue(transport.rtcpMux());
        assertEquals(new TransportDescription.Fingerprint("sha-256",
                "E6:C8:3F:84:FE:BD:E1:0D:E8:47:43:34:35:42:E6:17:6C:63:71:34:A3:C6:82:C7:17:DA:FA:C0:25:18:D0:2E",
                SetupRole.ACTPASS), transport.fingerprints().get(0));
        assertEquals(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "10.99.0.1", 10000, "host"),
                transport.candidates().get(0));
        assertEquals(List.of(
                new MediaSource(MediaType.AUDIO, "jvb-a0", List.of(new MediaSource.Ssrc(2794337770L, "jvb-a0")), List.of()),
                new MediaSource(MediaType.VIDEO, "jvb-v0", List.of(new MediaSource.Ssrc(801659477L, "jvb-v0")), List.of())),
                reply.bridgeSources());

        byte[] written = bridgeSide.writeReply(reply);
        assertEquals(withoutCandidateIds(tree("create-reply.json")), withoutCandidateIds(tree(written)));
        assertEquals(reply, clientSide.parseReply(written));
    }

    @Test
    void patchWithRemoteTransportAndSourcesRoundTrips() throws Exception {
        ConferenceRequest request = bridgeSide.parseModify(MEETING, bytes("patch-request.json"));

        assertEquals(MEETING_ID, request.meetingId());
        assertFalse(request.create());
        EndpointRequest ep = request.endpoints().get(0);
        assertFalse(ep.create());
        assertEquals(List.of(), ep.medias());
        TransportDescription remote = ep.remoteTransport();
        assertEquals("sXoJ", remote.ufrag());
        assertEquals("PirYicPKtYw4+mkIUOm1wWQm", remote.pwd());
        assertEquals(SetupRole.ACTIVE, remote.fingerprints().get(0).setup());
        assertEquals(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "10.99.0.2", 40000, "host"),
                remote.candidates().get(0));
        assertEquals(2, ep.sources().size());

        byte[] written = clientSide.writeRequest(request);
        assertEquals(withoutCandidateIds(tree("patch-request.json")), withoutCandidateIds(tree(written)));
        assertEquals(request, bridgeSide.parseModify(MEETING, written));
    }

    @Test
    void patchReplyRoundTrips() throws Exception {
        ConferenceReply reply = clientSide.parseReply(bytes("patch-reply.json"));

        assertEquals(List.of(new ConferenceReply.EndpointReply("ep1", null, false)), reply.endpoints());
        assertEquals(List.of(), reply.bridgeSources());
        assertEquals(tree("patch-reply.json"), tree(bridgeSide.writeReply(reply)));
    }

    @Test
    void endpointExpireIsEchoed() throws Exception {
        ConferenceRequest request = bridgeSide.parseModify(MEETING, bytes("expire-endpoint.json"));

        EndpointRequest ep = request.endpoints().get(0);
        assertEquals("ep1", ep.id());
        assertTrue(ep.expire());
        assertNull(ep.sources());
        assertEquals(tree("expire-endpoint.json"), tree(clientSide.writeRequest(request)));

        ConferenceReply echo = new ConferenceReply(List.of(new ConferenceReply.EndpointReply("ep1", null, true)), List.of());
        assertEquals(tree("expire-endpoint.json"), tree(bridgeSide.writeReply(echo)));
        assertEquals(echo, clientSide.parseReply(bridgeSide.writeReply(echo)));
    }

    @Test
    void conferenceExpire() throws Exception {
        ConferenceRequest request = bridgeSide.parseModify(MEETING, bytes("expire-conference.json"));

        assertTrue(request.expire());
        assertEquals(List.of(), request.endpoints());
        assertEquals(tree("expire-conference.json"), tree(clientSide.writeRequest(request)));
        assertEquals("{}", new String(bridgeSide.writeConferenceExpired(), StandardCharsets.UTF_8));
        assertEquals(new ConferenceReply(List.of(), List.of()), clientSide.parseReply(bridgeSide.writeConferenceExpired()));
    }

    @Test
    void addEndpointOnAnExistingConference() throws Exception {
        String add = """
                {"endpoints":[{"create":true,"id":"ep2","stats-id":"bob",
                  "medias":[{"type":"audio","payload-types":[{"name":"opus","id":"111","channels":"2","clockrate":"48000"}],
                             "rtp-hdrexts":[]}],
                  "transport":{"ice-controlling":true},"capabilities":["source-names"]}]}""";

        ConferenceRequest request = bridgeSide.parseModify(MEETING, add.getBytes(StandardCharsets.UTF_8));

        EndpointRequest ep = request.endpoints().get(0);
        assertTrue(ep.create());
        assertEquals("bob", ep.statsId());
        assertNull(ep.sources());
        assertEquals(tree(add.getBytes(StandardCharsets.UTF_8)), tree(clientSide.writeRequest(request)));
    }

    @Test
    void clientAlwaysDeclaresSourceNamesOnCreate() {
        EndpointRequest ep = EndpointRequest.creating("ep9").build();

        byte[] written = clientSide.writeRequest(ConferenceRequest.creating(new MeetingId("m1")).endpoint(ep).build());

        assertEquals("source-names", tree(written).at("/endpoints/0/capabilities/0").asText());
        assertFalse(tree(written).at("/endpoints/0/transport/ice-controlling").asBoolean(true));
    }

    @Test
    void tolerantOfWhatARealBridgeAddsToItsReply() throws Exception {
        String reply = """
                {"endpoints":[{"id":"ep1","future":1,"transport":{"transport":{
                   "xmlns":"urn:xmpp:jingle:transports:ice-udp:1","pwd":"1542inkpc7knkpa447t1q4s6h2","ufrag":"2cn8",
                   "fingerprints":[{"fingerprint":"E6:C8:3F:84:FE:BD:E1:0D:E8:47:43:34:35:42:E6:17:6C:63:71:34:A3:C6:82:C7:17:DA:FA:C0:25:18:D0:2E","setup":"actpass","hash":"sha-256"}],
                   "candidates":[], "rtcp-mux":true,
                   "web-sockets":["ws://10.99.0.1/colibri-ws/jvb1/c/ep1?pwd=x"]}}}]}""";

        ConferenceReply parsed = clientSide.parseReply(reply.getBytes(StandardCharsets.UTF_8));

        assertEquals("2cn8", parsed.endpoints().get(0).transport().ufrag());
    }

    @Test
    void statsRoundTripWithJvbFieldNames() throws Exception {
        BridgeStats stats = new BridgeStats(0.25, 3, 7, true, false, false, 10, 20, 1000, 2000, null, null, 2);

        byte[] written = bridgeSide.writeStats(stats, "1.2.3");

        assertEquals(new BridgeStats(0.25, 3, 7, true, false, false, 10, 20, 1000, 2000, null, "1.2.3", 2),
                clientSide.parseStats(written), "the server's version goes with the stats, and its relays");
        var tree = tree(written);
        for (String field : List.of("stress_level", "conferences", "endpoints", "relays", "healthy", "drain",
                "shutting_down",
                "version", "total_packets_received", "total_packets_sent", "total_bytes_received", "total_bytes_sent")) {
            assertTrue(tree.has(field), field);
        }
        assertEquals("1.2.3", tree.get("version").asText());
    }

    @Test
    void conferenceStatsRoundTrip() throws Exception {
        ConferenceStats stats = new ConferenceStats(new MeetingId("m1"), 2, 10, 20, 30, 40, 5, List.of(
                new EndpointStats("e1", "alice", true, 1, 2, 3, 4, 5, 0.25, 31.5, 6, 7, 8, 9, 10, Map.of("unknown-ssrc", 5L)),
                new EndpointStats("e2", null, false, 0, 0, 0, 0, 0, -1, -1, 0, 0, 0, 0, 0, Map.of())));

        assertEquals(stats, clientSide.parseConferenceStats(bridgeSide.writeConferenceStats(stats)));
    }

    @Test
    void statsOfAJitsiBridgeWithoutCounters() throws Exception {
        String jvb = """
                {"stress_level":0.05,"conferences":1,"endpoints":2,"healthy":true,"drain":false,
                 "shutting_down":false,"version":"2.3.SNAPSHOT","region":"eu-west","bit_rate_download":12.5}""";

        BridgeStats stats = clientSide.parseStats(jvb.getBytes(StandardCharsets.UTF_8));

        assertEquals(new BridgeStats(0.05, 1, 2, true, false, false, 0, 0, 0, 0, "eu-west", "2.3.SNAPSHOT"), stats);
    }

    @Test
    void nullMeansAbsent() throws Exception {
        String body = """
                {"meeting-id":"m1","create":true,"name":null,"endpoints":null}""";

        ConferenceRequest request = bridgeSide.parseCreate(body.getBytes(StandardCharsets.UTF_8));

        assertNull(request.name());
        assertEquals(List.of(), request.endpoints());
    }

    @Test
    void harmlessFieldsAreIgnored() throws Exception {
        String body = """
                {"meeting-id":"m1","create":true,"rtcstats-enabled":false,"callstats-enabled":false,
                 "endpoints":[{"id":"e1","create":true,"initial-last-n":{"value":-1},"capabilities":["source-names"],
                   "sources":[{"type":"video","id":"e1-v0","videoType":"desktop","sources":[{"ssrc":5}]}]}]}""";

        ConferenceRequest request = bridgeSide.parseCreate(body.getBytes(StandardCharsets.UTF_8));

        MediaSource source = request.endpoints().get(0).sources().get(0);
        assertEquals("e1-v0", source.ssrcs().get(0).name(), "an unnamed SSRC takes its source's name");
    }
}
