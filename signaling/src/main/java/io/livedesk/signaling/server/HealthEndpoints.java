package io.livedesk.signaling.server;

import io.netty.handler.codec.http.HttpMethod;

import java.util.function.BooleanSupplier;

/** Readiness and Prometheus metrics for load balancers and monitoring (liveness is answered on the event loop). */
public final class HealthEndpoints {
    private final BooleanSupplier ready;
    private final Metrics metrics;

    public HealthEndpoints(BooleanSupplier ready, Metrics metrics) {
        this.ready = ready;
        this.metrics = metrics;
    }

    public void register(HttpRoutes routes) {
        routes.add(HttpMethod.GET, "/readyz", call -> ready.getAsBoolean()
                ? HttpReply.json(200, "{\"status\":\"ready\"}")
                : HttpReply.json(503, "{\"status\":\"not ready\"}"));
        routes.add(HttpMethod.GET, "/metrics",
                call -> HttpReply.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    }
}
