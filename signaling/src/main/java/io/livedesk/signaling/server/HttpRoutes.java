package io.livedesk.signaling.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisException;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.netty.handler.codec.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST routes of a node, matched by method and exact path, path template (segments in braces match
 * any one non-empty segment: {@code /api/calls/{id}/transcript}) or path prefix (ending in '/'), with
 * static files as the fallback for GET. Exact paths and templates are tried before prefixes, so a
 * template under a prefix route wins whatever the order of registration.
 */
public final class HttpRoutes {
    private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);

    private record Route(HttpMethod method, String path, boolean prefix, String[] template, HttpEndpoint endpoint) {
        boolean matches(HttpMethod m, String p) {
            if (!method.equals(m)) {
                return false;
            }
            if (template != null) {
                return matchesTemplate(p);
            }
            return prefix ? p.startsWith(path) && p.length() > path.length() : p.equals(path);
        }

        private boolean matchesTemplate(String p) {
            String[] segments = p.split("/", -1);
            if (segments.length != template.length) {
                return false;
            }
            for (int i = 0; i < segments.length; i++) {
                boolean any = template[i].startsWith("{") && template[i].endsWith("}");
                if (any ? segments[i].isEmpty() : !segments[i].equals(template[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final StaticFiles staticFiles;
    private final ObjectMapper json;

    public HttpRoutes(StaticFiles staticFiles, ObjectMapper json) {
        this.staticFiles = staticFiles;
        this.json = json;
    }

    public HttpRoutes add(HttpMethod method, String path, HttpEndpoint endpoint) {
        boolean templated = path.contains("{");
        routes.add(new Route(method, path, !templated && path.endsWith("/"),
                templated ? path.split("/", -1) : null, endpoint));
        return this;
    }

    public HttpReply handle(HttpCall call) {
        try {
            for (boolean prefixes : new boolean[] {false, true}) {
                for (Route r : routes) {
                    if (r.prefix() == prefixes && r.matches(call.method(), call.path())) {
                        return r.endpoint().handle(call);
                    }
                }
            }
            boolean known = routes.stream().anyMatch(r -> r.matches(HttpMethod.GET, call.path())
                    || r.matches(HttpMethod.POST, call.path()));
            if (known) {
                return error(ErrorCode.BAD_MESSAGE, 405, "method not allowed here");
            }
            if (call.method().equals(HttpMethod.GET) || call.method().equals(HttpMethod.HEAD)) {
                HttpReply file = staticFiles.get(call.path());
                if (file != null) {
                    return file;
                }
            }
            return error(ErrorCode.NOT_FOUND, 404, "no such resource");
        } catch (ProtocolException e) {
            return error(e.code(), e.code().httpStatus(), e.getMessage());
        } catch (RedisException e) {
            log.warn("store unavailable for {} {}: {}", call.method(), call.path(), e.toString());
            return error(ErrorCode.UNAVAILABLE, 503, "a store did not answer; try again");
        } catch (Exception e) {
            String ref = java.util.UUID.randomUUID().toString().substring(0, 8);
            log.error("internal error {} on {} {}", ref, call.method(), call.path(), e);
            return error(ErrorCode.INTERNAL, 500, "internal error, reference " + ref);
        }
    }

    public HttpReply error(ErrorCode code, int status, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code.wire());
        body.put("message", message);
        try {
            return HttpReply.json(status, json.writeValueAsString(body));
        } catch (Exception e) {
            return HttpReply.json(500, "{\"code\":\"internal\",\"message\":\"\"}");
        }
    }
}
