package io.livedesk.signaling.server;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.util.List;
import java.util.Map;

/** A REST request as endpoints see it (already aggregated, body decoded as UTF-8). */
public record HttpCall(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers, String body) {
    public String queryParam(String name, String fallback) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? fallback : v.get(0);
    }

    public String header(String name) {
        return headers.get(name);
    }
}
