package io.livedesk.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.TokenService;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Mints one token per session: locally with the server's HS256 secret (preferred: it costs the server
 * nothing), or through the server's dev endpoint {@code POST /api/dev/tokens} with the admin key.
 */
final class Tokens {
    private static final Duration TTL = Duration.ofHours(2);

    private final TokenService local;
    private final URI devEndpoint;
    private final String adminKey;
    private final ObjectMapper json = new ObjectMapper();

    Tokens(String jwtSecret, String issuer, URI httpBase, String adminKey) {
        if (jwtSecret != null && !jwtSecret.isBlank()) {
            this.local = new TokenService(jwtSecret.getBytes(StandardCharsets.UTF_8), issuer, Clock.systemUTC());
            this.devEndpoint = null;
        } else if (adminKey != null && !adminKey.isBlank()) {
            this.local = null;
            this.devEndpoint = httpBase.resolve("/api/dev/tokens");
        } else {
            throw new IllegalArgumentException("give --jwt-secret (preferred) or --admin-key");
        }
        this.adminKey = adminKey;
    }

    String how() {
        return local != null ? "local (HS256 secret)" : "dev endpoint " + devEndpoint;
    }

    List<String> mint(List<Principal> principals) throws Exception {
        if (local != null) {
            List<String> out = new ArrayList<>(principals.size());
            for (Principal p : principals) {
                out.add(local.mint(p, TTL));
            }
            return out;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<String>> futures = new ArrayList<>(principals.size());
        for (Principal p : principals) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("role", p.role().wire());
            body.put("subject", p.subject());
            body.put("name", p.name());
            if (p.role().serves()) {
                body.put("skills", List.copyOf(p.skills()));
                body.put("languages", List.copyOf(p.languages()));
                body.put("capacity", p.capacity());
            }
            HttpRequest req = HttpRequest.newBuilder(devEndpoint)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("X-Admin-Key", adminKey)
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
            inFlight.acquire();
            futures.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> inFlight.release())
                    .thenApply(r -> {
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("minting a token: HTTP " + r.statusCode() + " " + r.body());
                        }
                        try {
                            JsonNode n = json.readTree(r.body());
                            return n.get("token").asText();
                        } catch (Exception e) {
                            throw new IllegalStateException("minting a token: unreadable reply", e);
                        }
                    }));
        }
        List<String> out = new ArrayList<>(futures.size());
        for (CompletableFuture<String> f : futures) {
            out.add(f.join());
        }
        return out;
    }
}
