package io.livedesk.signaling.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.server.HttpCall;
import io.livedesk.signaling.server.HttpReply;
import io.livedesk.signaling.server.HttpRoutes;
import io.livedesk.signaling.server.StaticFiles;
import io.livedesk.signaling.testing.MutableClock;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's token endpoints: what they mint for whom, and that they are only there while the demo is on. */
class DevTokenEndpointsTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2031-03-01T08:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final TokenService tokens = new TokenService(SECRET, "livedesk", clock);
    private final ObjectMapper json = new MessageCodec().mapper();

    private HttpRoutes routes(boolean demo) {
        HttpRoutes routes = new HttpRoutes(new StaticFiles(getClass().getClassLoader()), json);
        LiveDeskConfig.Auth auth = new LiveDeskConfig.Auth("unused", "livedesk", Duration.ofHours(12), false, "", "");
        new DevTokenEndpoints(tokens, auth, demo, "", json).register(routes);
        return routes;
    }

    private static HttpReply post(HttpRoutes routes, String path, String body) {
        return routes.handle(new HttpCall(HttpMethod.POST, path, Map.of(), new DefaultHttpHeaders(), body));
    }

    private JsonNode body(HttpReply reply) throws Exception {
        return json.readTree(new String(reply.body(), StandardCharsets.UTF_8));
    }

    @Test
    void theDemoCustomerTokenIsACustomerWithTheNameGivenOrGuest() throws Exception {
        HttpReply named = post(routes(true), "/demo/api/customer-token", "{\"name\":\" Li Wei \"}");
        assertEquals(200, named.status());
        Principal p = tokens.verify(body(named).get("token").asText(), 0);
        assertEquals(Role.CUSTOMER, p.role());
        assertEquals("Li Wei", p.name());
        assertTrue(p.subject().value().startsWith("cust-"), p.subject().value());
        assertEquals(p.subject().value(), body(named).get("subject").asText());
        assertEquals("Guest", tokens.verify(body(post(routes(true), "/demo/api/customer-token", "")).get("token").asText(), 0).name());
    }

    @Test
    void theDemoViewerTokenIsAnAnonymousViewerWithANewRandomSubject() throws Exception {
        HttpReply first = post(routes(true), "/demo/api/viewer-token", "{}");
        assertEquals(200, first.status(), new String(first.body(), StandardCharsets.UTF_8));
        JsonNode answer = body(first);
        Principal p = tokens.verify(answer.get("token").asText(), 0);
        assertEquals(Role.VIEWER, p.role());
        assertNull(p.name(), "no name: the viewer page asks for one before a consultation");
        assertTrue(p.subject().value().matches("viewer-[0-9a-f-]{12}"), p.subject().value());
        assertEquals(p.subject().value(), answer.get("subject").asText(), "the page keeps the subject with the token");
        assertNotNull(Instant.parse(answer.get("expiresAt").asText()));
        assertTrue(p.permissions().isEmpty());
        Principal second = tokens.verify(body(post(routes(true), "/demo/api/viewer-token", "")).get("token").asText(), 0);
        assertNotEquals(p.subject(), second.subject(), "each visitor is someone else");
    }

    @Test
    void aDemoViewerTokenCarriesTheNameWhenOneIsGiven() throws Exception {
        Principal p = tokens.verify(body(post(routes(true), "/demo/api/viewer-token", "{\"name\":\" Ann \"}")).get("token").asText(), 0);
        assertEquals(Role.VIEWER, p.role());
        assertEquals("Ann", p.name());
        assertNull(tokens.verify(body(post(routes(true), "/demo/api/viewer-token", "{\"name\":\"  \"}")).get("token").asText(), 0).name(),
                "a blank name is no name");
    }

    @Test
    void aDemoViewerTokenRequestWithAnUnknownFieldOrAnOverlongNameIsRefused() throws Exception {
        HttpReply unknown = post(routes(true), "/demo/api/viewer-token", "{\"role\":\"staff\"}");
        assertEquals(400, unknown.status());
        assertEquals("bad_message", body(unknown).get("code").asText());
        assertEquals(400, post(routes(true), "/demo/api/viewer-token", "{\"name\":\"" + "x".repeat(81) + "\"}").status());
    }

    @Test
    void withoutTheDemoThereAreNoDemoTokens() {
        assertEquals(404, post(routes(false), "/demo/api/viewer-token", "{}").status());
        assertEquals(404, post(routes(false), "/demo/api/customer-token", "{}").status());
    }
}
