package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.live.Broadcast;
import io.livedesk.signaling.live.BroadcastMedia;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.jvb.StrictVideobridge;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.livedesk.testkit.ws.WsClient.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A livestream spread over two bridges that keep Jitsi Videobridge's Colibri2 rules ({@link StrictVideobridge}):
 * signaling drives the relay between them as Jicofo drives secure Octo, and every request passes the checks the
 * real bridge makes (one relay per request and never with endpoints, a transport on create, no relay used before it
 * was created). The relay is created on both sides with opposite ICE roles and one mesh id, each side is given the
 * other's transport, and the far side lists the host's endpoint with its sources; a host that reloads is listed
 * again, and ending the broadcast leaves neither bridge a conference. No media: the bridges are stand-ins.
 */
@Timeout(60)
class JitsiRelayContractIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T open(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @Test
    void aSpreadLivestreamDrivesTheRelayAsJicofoDrivesAJitsiVideobridge() throws Exception {
        StrictVideobridge jvbA = open(new StrictVideobridge());
        StrictVideobridge jvbB = open(new StrictVideobridge());
        TestNode node = open(TestNode.start(Map.of("livedesk.calls.media", "bridge",
                "livedesk.bridge.remote", List.of(jvbA.url().toString(), jvbB.url().toString()),
                "livedesk.bridge.health-interval", "200ms",
                "livedesk.live.max-viewers-per-bridge", 1)));
        BridgePool pool = node.node().bridgePool();
        await("both bridges checked").atMost(WAIT).until(() -> pool.members().stream()
                .allMatch(m -> m.up() && m.stats() != null));
        WsClient host = node.signIn(node.staffToken("host-lin", "Lin Wei", List.of("loans"), List.of("en"), 1));
        WsClient ann = node.signIn(node.customerToken("viewer-0", "Ann"));
        WsClient bo = node.signIn(node.customerToken("viewer-1", "Bo"));
        Broadcast broadcast = RelayedBroadcastIT.liveBroadcast(node);
        BroadcastMedia media = node.node().broadcastMedia();

        BrowserOffer hostPage = BrowserOffer.of("hostpg01", 1);
        media.offer(broadcast, Subject.of("host-lin"), new ClientMessage.Sdp("offer", hostPage.sdp()), "s1");
        answer(host);
        media.offer(broadcast, Subject.of("viewer-0"),
                new ClientMessage.Sdp("offer", BrowserOffer.receiveOnly("annpg001", 5).sdp()), "v0");
        answer(ann);
        media.offer(broadcast, Subject.of("viewer-1"),
                new ClientMessage.Sdp("offer", BrowserOffer.receiveOnly("bopg0001", 6).sdp()), "v1");
        String boAnswer = answer(bo);
        assertTrue(boAnswer.contains("a=ssrc:" + hostPage.videoSsrc() + " "), "the far viewer is offered the host");

        MeetingId first = BroadcastMeetings.meetingOf(broadcast.id());
        MeetingId further = BroadcastMeetings.meetingOf(broadcast.id(), 2);
        StrictVideobridge firstJvb = jvbA.conferences().contains(first.value()) ? jvbA : jvbB;
        StrictVideobridge furtherJvb = firstJvb == jvbA ? jvbB : jvbA;
        assertEquals(Set.of(further.value()), furtherJvb.conferences(), "the second carrier is on the other bridge");

        JsonNode onFirst = firstJvb.relay(first.value(), "carrier-2");
        JsonNode onFurther = furtherJvb.relay(further.value(), "carrier-1");
        assertNotNull(onFirst, "a relay on the first bridge, named for the far one");
        assertNotNull(onFurther, "and one on the far bridge, named for the first");
        assertEquals(onFirst.path("mesh-id").asText(), onFurther.path("mesh-id").asText(), "one mesh");
        assertFalse(onFirst.path("mesh-id").asText().isEmpty());
        JsonNode firstCreate = relayCreate(firstJvb, "carrier-2");
        JsonNode furtherCreate = relayCreate(furtherJvb, "carrier-1");
        assertNotEquals(firstCreate.path("transport").path("ice-controlling").asBoolean(),
                furtherCreate.path("transport").path("ice-controlling").asBoolean(), "opposite ICE roles");
        assertTrue(firstCreate.path("transport").has("use-unique-port"));
        // The transports are swapped: each side ends up with the other's ICE-UDP transport.
        assertEquals(StrictVideobridge.ufragOf("relay-carrier-1"),
                onFirst.path("transport").path("transport").path("ufrag").asText());
        assertEquals(StrictVideobridge.ufragOf("relay-carrier-2"),
                onFurther.path("transport").path("transport").path("ufrag").asText());
        // The far side lists the host's endpoint with its sources; the first lists nothing (viewers send nothing).
        JsonNode listed = onFurther.path("endpoints");
        assertEquals(1, listed.size(), listed.toString());
        JsonNode stage = listed.elements().next();
        assertTrue(ssrcs(stage).containsAll(List.of(hostPage.audioSsrc(), hostPage.videoSsrc())), stage.toString());
        assertEquals(0, onFirst.path("endpoints").size());

        // The host reloads: the new endpoint replaces the old on the relay (the old expired first).
        BrowserOffer reloaded = BrowserOffer.of("hostpg02", 1);
        media.offer(broadcast, Subject.of("host-lin"), new ClientMessage.Sdp("offer", reloaded.sdp()), "s2");
        answer(host);
        await("the reloaded host is listed on the relay").atMost(WAIT).until(() -> {
            JsonNode now2 = furtherJvb.relay(further.value(), "carrier-1").path("endpoints");
            return now2.size() == 1 && !now2.has(stage.path("id").asText());
        });

        media.ended(broadcast.ended(System.currentTimeMillis()));
        await("both bridges are left with no conference").atMost(WAIT)
                .until(() -> jvbA.conferences().isEmpty() && jvbB.conferences().isEmpty());
        for (StrictVideobridge jvb : List.of(jvbA, jvbB)) {
            for (StrictVideobridge.Request r : jvb.requests()) {
                if (r.body() != null && r.body().has("relays")) {
                    assertEquals(1, r.body().path("relays").size(), r.toString());
                    assertFalse(r.body().has("endpoints"), r.toString());
                }
            }
        }
    }

    /** The request that created relay {@code id} on {@code jvb}: the relay object in it. */
    private static JsonNode relayCreate(StrictVideobridge jvb, String id) {
        for (StrictVideobridge.Request r : jvb.requests()) {
            for (JsonNode relay : r.body() == null ? List.<JsonNode>of() : List.of(r.body().path("relays"))) {
                for (JsonNode one : relay) {
                    if (id.equals(one.path("id").asText()) && one.path("create").asBoolean(false)) {
                        return one;
                    }
                }
            }
        }
        throw new AssertionError("no create of relay " + id);
    }

    private static List<Long> ssrcs(JsonNode endpoint) {
        List<Long> out = new ArrayList<>();
        endpoint.path("sources").forEach(media -> media.path("sources").forEach(s -> out.add(s.path("ssrc").asLong())));
        return out;
    }

    private static String answer(WsClient client) {
        JsonNode signal = client.await(m -> "broadcast.signal".equals(type(m))
                && "answer".equals(m.path("sdp").path("type").asText()), WAIT);
        return signal.path("sdp").path("sdp").asText();
    }
}
