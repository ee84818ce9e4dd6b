package io.livedesk.media.colibri;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.RelayRequest;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Colibri2 {@code relays}: as Jicofo writes them, read strictly by the bridge; replies both ways. */
class Colibri2RelayTest {
    private static final MeetingId MEETING = new MeetingId("relay-codec");
    private final Colibri2BridgeCodec bridge = new Colibri2BridgeCodec();
    private final Colibri2ClientCodec client = new Colibri2ClientCodec();

    private static final TransportDescription REMOTE = new TransportDescription("relayufrag", "relaypasswordof22chars",
            List.of(new TransportDescription.Fingerprint("sha-256", "AB:".repeat(31) + "AB", SetupRole.PASSIVE)),
            List.of(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "10.0.0.2", 10001, "host")), true);
    private static final List<MediaSource> SOURCES = List.of(new MediaSource(MediaType.VIDEO, "ep1-v0",
            List.of(new MediaSource.Ssrc(2001, "ep1-v0"), new MediaSource.Ssrc(2002, "ep1-v0")),
            List.of(new MediaSource.SsrcGroup("FID", List.of(2001L, 2002L)))));

    @Test
    void whatTheClientWritesTheBridgeReadsBack() throws Exception {
        ConferenceRequest request = ConferenceRequest.modifying(MEETING)
                .relay(RelayRequest.creating("jvb-2", "mesh-1", true)
                        .endpoint(RelayRequest.RemoteEndpoint.creating("ep1", "alice", SOURCES))
                        .endpoint(RelayRequest.RemoteEndpoint.expiring("ep0")))
                .relay(RelayRequest.updating("jvb-3").remoteTransport(REMOTE))
                .relay(RelayRequest.expiring("jvb-4"))
                .build();
        ConferenceRequest read = bridge.parseModify(MEETING.value(), client.writeRequest(request));
        assertEquals(request.relays(), read.relays());
    }

    @Test
    void jicofosShapeIsRead() throws Exception {
        String body = """
                {"relays":[{"id":"jvb-2","create":true,"mesh-id":"0","transport":{"ice-controlling":false,"use-unique-port":false},
                  "endpoints":[{"id":"ep1","create":true,"stats-id":"alice","capabilities":["source-names"],
                    "sources":[{"type":"audio","id":"ep1-a0","sources":[{"ssrc":1001,"name":"ep1-a0"}]}]}]}]}""";
        RelayRequest relay = bridge.parseModify(MEETING.value(), body.getBytes(StandardCharsets.UTF_8)).relays().get(0);
        assertEquals("jvb-2", relay.id());
        assertTrue(relay.create());
        assertEquals("0", relay.meshId());
        assertEquals(false, relay.iceControlling());
        assertNull(relay.remoteTransport());
        assertEquals(1001, relay.endpoints().get(0).sources().get(0).ssrcs().get(0).ssrc());
    }

    @Test
    void hostileRelaysAreBadRequestsThatSayWhy() {
        assertBad("{\"relays\":[{\"create\":true,\"transport\":{}}]}", "relays[0].id");
        assertBad("{\"relays\":[{\"id\":\"r\",\"create\":true}]}", "relays[0].transport");
        assertBad("{\"relays\":[{\"id\":\"r\",\"create\":true,\"expire\":true,\"transport\":{}}]}", "relays[0]");
        assertBad("{\"relays\":[{\"id\":\"r\"},{\"id\":\"r\"}]}", "repeats relay");
        assertBad("{\"relays\":[{\"id\":\"r\",\"bogus\":1}]}", "bogus");
        assertBad("{\"relays\":[{\"id\":\"r\",\"transport\":{\"ice-restart\":true}}]}", "ice-restart");
        assertBad("{\"relays\":[{\"id\":\"r\",\"endpoints\":[{\"id\":\"e\"},{\"id\":\"e\"}]}]}", "repeats endpoint");
        assertBad("{\"relays\":[{\"id\":\"r\",\"endpoints\":[{\"id\":\"e\",\"sources\":[{\"type\":\"video\",\"id\":\"s\","
                + "\"sources\":[{\"ssrc\":-1}]}]}]}]}", "ssrc");
        assertBad("{\"relays\":\"jvb\"}", "relays");
        assertBad("{\"relays\":[" + "{\"id\":\"r\"},".repeat(Colibri2BridgeCodec.MAX_RELAYS) + "{\"id\":\"z\"}]}", "relays");
        assertBad("{\"expire\":true,\"relays\":[{\"id\":\"r\",\"expire\":true}]}", "relays");
    }

    @Test
    void repliesCarryEachRelaysTransport() throws Exception {
        ConferenceReply reply = new ConferenceReply(List.of(), List.of(), List.of(
                new ConferenceReply.RelayReply("jvb-2", REMOTE, false), new ConferenceReply.RelayReply("jvb-3", null, true)));
        String json = new String(bridge.writeReply(reply), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"relays\":[{\"id\":\"jvb-2\",\"transport\":{\"transport\":{"), json);
        assertEquals(reply.relays(), client.parseReply(json.getBytes(StandardCharsets.UTF_8)).relays());
    }

    private void assertBad(String body, String expected) {
        BridgeException.BadRequest e = assertThrows(BridgeException.BadRequest.class,
                () -> bridge.parseModify(MEETING.value(), body.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should name " + expected);
    }
}
