package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.signaling.auth.ApiAuth;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.server.HttpCall;
import io.livedesk.signaling.server.HttpReply;
import io.livedesk.signaling.server.HttpRoutes;
import io.netty.handler.codec.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bridges for supervisors: {@code GET /api/admin/bridges} lists this node's pool as its last checks saw it
 * (no bridge is asked), {@code POST /api/admin/bridges/{id}/drain} and {@code …/undrain} drain or undrain one
 * through the bridge's own drain resource, so that the state lives on the bridge and every node sees it. Bridge
 * ids are addresses ({@code host:port}, a path for some) or the node id for the in-process bridge; a path
 * segment may encode them. Only supervisors: LiveDesk has no separate admin role.
 */
public final class BridgesApi {
    private static final Logger log = LoggerFactory.getLogger(BridgesApi.class);
    static final String PATH = "/api/admin/bridges";
    private static final Set<Role> SUPERVISORS = EnumSet.of(Role.SUPERVISOR);

    /**
     * One bridge as the list shows it. Reported figures are null before the bridge's first check; {@code relays}
     * is the bridge's count of relays to other bridges (0 from a bridge that does not report it).
     */
    record BridgeView(String id, String kind, String region, boolean up, Boolean healthy, Double stress,
                      Integer conferences, Integer endpoints, int relays, boolean draining, boolean shuttingDown,
                      String version, int assignedConferences, String lastFailure) {

        static BridgeView of(MemberStatus m) {
            BridgeStats s = m.stats();
            return new BridgeView(m.id(), m.kind().wire(), m.region(), m.up(),
                    s == null ? null : s.healthy(), s == null ? null : s.stressLevel(),
                    s == null ? null : s.conferences(), s == null ? null : s.endpoints(), s == null ? 0 : s.relays(), m.draining(),
                    m.shuttingDown(), s == null ? null : s.version(), m.assignedConferences(),
                    m.lastFailure().isEmpty() ? null : m.lastFailure());
        }
    }

    private final BridgePool pool;
    private final ApiAuth auth;
    private final ObjectMapper json;

    /** @param pool the node's bridges; null with peer-to-peer media (then there are none) */
    public BridgesApi(BridgePool pool, ApiAuth auth, ObjectMapper json) {
        this.pool = pool;
        this.auth = auth;
        this.json = json;
    }

    public void register(HttpRoutes routes) {
        routes.add(HttpMethod.GET, PATH, call -> {
            auth.require(call, SUPERVISORS);
            List<BridgeView> bridges = pool == null ? List.of()
                    : pool.members().stream().map(BridgeView::of).toList();
            boolean accepting = pool != null && pool.takesNewConferences();
            return HttpReply.json(200, json.writeValueAsString(Map.of("bridges", bridges,
                    "takesNewCalls", accepting))).withHeader("Cache-Control", "no-store");
        });
        // A prefix, not a template: an id may hold a '/', which the decoded path shows as one.
        routes.add(HttpMethod.POST, PATH + "/", this::change);
    }

    private HttpReply change(HttpCall call) throws Exception {
        Principal caller = auth.require(call, SUPERVISORS);
        String rest = call.path().substring(PATH.length() + 1);
        boolean enable;
        String id;
        if (rest.endsWith("/drain")) {
            enable = true;
            id = rest.substring(0, rest.length() - "/drain".length());
        } else if (rest.endsWith("/undrain")) {
            enable = false;
            id = rest.substring(0, rest.length() - "/undrain".length());
        } else {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no such resource");
        }
        if (pool == null || id.isEmpty()) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no such bridge");
        }
        MemberStatus status;
        try {
            status = pool.drain(id, enable);
        } catch (BridgeException.NotFound e) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no such bridge");
        } catch (BridgeException.BadRequest e) {
            throw new ProtocolException(ErrorCode.NOT_SUPPORTED, "the bridge refused: " + e.getMessage());
        } catch (BridgeException e) {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "the bridge could not be reached: " + e.getMessage());
        }
        // The supervisor's subject id, never their name.
        log.info("bridge {} {} by supervisor {}", status.id(), enable ? "drained" : "undrained", caller.subject().value());
        return HttpReply.json(200, json.writeValueAsString(BridgeView.of(status))).withHeader("Cache-Control", "no-store");
    }
}
