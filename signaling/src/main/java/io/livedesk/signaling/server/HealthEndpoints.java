package io.livedesk.signaling.server;

import io.netty.handler.codec.http.HttpMethod;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Readiness and Prometheus metrics for load balancers and monitoring (liveness is answered on the event loop). */
public final class HealthEndpoints {
    private final Supplier<Optional<String>> notReady;
    private final Metrics metrics;
    private final ObjectMapper json;

    /** @param notReady why the node should get no new work now; empty when it is ready */
    public HealthEndpoints(Supplier<Optional<String>> notReady, Metrics metrics, ObjectMapper json) {
        this.notReady = notReady;
        this.metrics = metrics;
        this.json = json;
    }

    public void register(HttpRoutes routes) {
        routes.add(HttpMethod.GET, "/readyz", call -> {
            Optional<String> reason = notReady.get();
            if (reason.isEmpty()) {
                return HttpReply.json(200, "{\"status\":\"ready\"}");
            }
            Map<String, String> body = new LinkedHashMap<>();
            body.put("status", "not ready");
            body.put("reason", reason.get());
            return HttpReply.json(503, json.writeValueAsString(body));
        });
        routes.add(HttpMethod.GET, "/metrics",
                call -> HttpReply.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    }
}
