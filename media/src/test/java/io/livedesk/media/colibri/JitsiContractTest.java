package io.livedesk.media.colibri;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceNames;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.testkit.jvb.StrictVideobridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LiveDesk's Colibri2 driver against a bridge that keeps Jitsi Videobridge's rules ({@link StrictVideobridge}): what
 * broke when a real one was put in the pool (a non-JID name, a reason lost in an HTML page, a create that timed out
 * and was refused when sent again) works, and what it refuses is refused.
 */
@Timeout(30)
class JitsiContractTest {
    private static final MeetingId MEETING = new MeetingId("r-0b5c2d7e");

    private static EndpointRequest.Builder customer() {
        return EndpointRequest.creating("customer").statsId("customer")
                .remoteTransport(new TransportDescription("sXoJ", "PirYicPKtYw4+mkIUOm1wWQm",
                        List.of(new TransportDescription.Fingerprint("sha-256", "BB:50:EE:83", SetupRole.ACTIVE)),
                        List.of(), true))
                .sources(List.of(new MediaSource(MediaType.AUDIO, "customer-a0",
                        List.of(new MediaSource.Ssrc(1001, "customer-a0")), List.of())));
    }

    private static ConferenceRequest create(String name) {
        return ConferenceRequest.creating(MEETING).name(name).endpoint(customer().build()).build();
    }

    @Test
    void aConferenceAsLiveDeskCreatesItIsTakenInTheRealBridgesShapes() throws Exception {
        try (StrictVideobridge jvb = new StrictVideobridge();
             Colibri2Client client = new Colibri2Client("jvb", Colibri2Client.Options.of(jvb.url()))) {
            ConferenceReply reply = client.apply(create(ConferenceNames.of(MEETING)));
            assertEquals("customer", reply.endpoints().get(0).id());
            assertEquals("127.0.0.1", reply.endpoints().get(0).transport().candidates().get(0).ip());
            assertTrue(reply.bridgeSources().stream().anyMatch(s -> s.id().equals("jvb-v0")), reply.bridgeSources().toString());
            assertEquals("r-0b5c2d7e@livedesk.internal", jvb.requests().get(0).body().path("name").asText());
            assertEquals("active", jvb.endpoint(MEETING.value(), "customer")
                    .path("transport").path("transport").path("fingerprints").get(0).path("setup").asText());
            client.expire(MEETING);
            assertEquals(0, jvb.conferences().size());
        }
    }

    @Test
    void whatTheBridgeRefusesComesBackWithItsReasonFromTheHtmlPage() throws Exception {
        try (StrictVideobridge jvb = new StrictVideobridge();
             Colibri2Client client = new Colibri2Client("jvb", Colibri2Client.Options.of(jvb.url()))) {
            BridgeException.BadRequest name = assertThrows(BridgeException.BadRequest.class,
                    () -> client.apply(create("call " + MEETING)));
            assertEquals("bridge jvb answered 400: Failed to create conference: Invalid conference name (not a JID)",
                    name.getMessage());

            client.apply(create(ConferenceNames.of(MEETING)));
            BridgeException.BadRequest twice = assertThrows(BridgeException.BadRequest.class,
                    () -> client.apply(create(ConferenceNames.of(MEETING))));
            assertTrue(twice.getMessage().endsWith("Conference already exists"), twice.getMessage());

            TransportDescription actpass = new TransportDescription("u", "p",
                    List.of(new TransportDescription.Fingerprint("sha-256", "AB", SetupRole.ACTPASS)), List.of(), true);
            BridgeException.BadRequest setup = assertThrows(BridgeException.BadRequest.class, () -> client.apply(
                    ConferenceRequest.modifying(MEETING).endpoint(EndpointRequest.updating("customer")
                            .remoteTransport(actpass)).build()));
            assertTrue(setup.getMessage().endsWith("unrecognized DTLS setup value: actpass"), setup.getMessage());
        }
    }

    @Test
    void aCreateThatTimedOutIsExpiredAndSentOnceMoreInsteadOfBeingRefused() throws Exception {
        try (StrictVideobridge cold = new StrictVideobridge(Duration.ofMillis(1500));
             Colibri2Client client = new Colibri2Client("jvb", new Colibri2Client.Options(cold.url(),
                     Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(500)))) {
            ConferenceReply reply = client.apply(create(ConferenceNames.of(MEETING)));
            assertEquals("customer", reply.endpoints().get(0).id());
            List<String> calls = cold.requests().stream().map(r -> r.method() + " " + r.path()
                    + (r.body() != null && r.body().path("expire").asBoolean() ? " expire" : "")).toList();
            assertEquals(List.of("POST /colibri/v2/conferences/", "PATCH /colibri/v2/conferences/r-0b5c2d7e expire",
                    "POST /colibri/v2/conferences/"), calls);
            assertEquals(1, cold.conferences().size());
        }
    }

    @Test
    void theDefaultCreateTimeoutOutlastsAColdBridgeAndItsStatsAreRead() throws Exception {
        try (StrictVideobridge jvb = new StrictVideobridge();
             Colibri2Client client = new Colibri2Client("jvb", Colibri2Client.Options.of(jvb.url()))) {
            assertTrue(Colibri2Client.Options.of(jvb.url()).createTimeout().compareTo(Duration.ofMillis(3800)) > 0);
            assertEquals(Colibri2Client.Options.DEFAULT_CREATE_TIMEOUT, Colibri2Client.Options.of(jvb.url()).createTimeout());
            client.checkHealth();
            assertEquals(0, client.stats().conferences());
        }
    }
}
