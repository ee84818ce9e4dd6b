package io.livedesk.signaling.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
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

    /** The {@code limit} query parameter, 1 to {@code max}; {@code fallback} when absent. */
    public int limit(int fallback, int max) {
        String raw = queryParam("limit", null);
        if (raw == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new ProtocolException(ErrorCode.BAD_MESSAGE, "limit must be a number from 1 to " + max);
    }

    /** The body as a JSON object of {@code type} (an empty body is {@code {}}); else 400 bad_message. */
    public <T> T jsonBody(ObjectMapper json, Class<T> type) {
        try {
            return json.readValue(body.isBlank() ? "{}" : body, type);
        } catch (Exception e) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "body must be a JSON object with the documented fields");
        }
    }
}
