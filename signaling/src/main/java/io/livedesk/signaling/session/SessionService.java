package io.livedesk.signaling.session;

import io.livedesk.signaling.auth.InvalidTokenException;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.auth.TokenService;
import io.livedesk.signaling.call.CallService;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.cluster.SessionLocation;
import io.livedesk.signaling.cluster.SessionStore;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.presence.StaffStatus;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.RoutingService;
import io.livedesk.signaling.server.ClientConnection;
import io.livedesk.signaling.server.LocalConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Sign-in, sign-out and the grace period between: a client that drops keeps its request, call and
 * status for {@code cluster.reconnect-grace}, on whichever node it comes back to; after that its
 * request is cancelled, its call ended and, for staff, they go offline.
 */
public final class SessionService {
    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    private static final int REAP_BATCH = 500;

    private final String nodeId;
    private final TokenService tokens;
    private final SessionStore sessions;
    private final LocalConnections local;
    private final MessageRouter router;
    private final PresenceService presence;
    private final RoutingService routing;
    private final CallService calls;
    private final LiveDeskConfig config;
    private final Clock clock;

    public SessionService(String nodeId, TokenService tokens, SessionStore sessions, LocalConnections local,
                          MessageRouter router, PresenceService presence, RoutingService routing,
                          CallService calls, LiveDeskConfig config, Clock clock) {
        this.nodeId = nodeId;
        this.tokens = tokens;
        this.sessions = sessions;
        this.local = local;
        this.router = router;
        this.presence = presence;
        this.routing = routing;
        this.calls = calls;
        this.config = config;
        this.clock = clock;
    }

    public ServerMessage.Welcome hello(ClientConnection c, String replyId, String token) {
        if (c.authenticated()) {
            throw new ProtocolException(ErrorCode.ALREADY_AUTHENTICATED, "this connection is already signed in");
        }
        Principal p;
        try {
            p = tokens.verify(token, config.routing().maxCustomerPriority());
        } catch (InvalidTokenException e) {
            throw new ProtocolException(ErrorCode.INVALID_TOKEN, e.getMessage());
        }
        // Where they are: their token's region, else this node's (the region they reached it in).
        p = p.inRegionUnlessNamed(config.region());
        // Store calls first: if one fails (Redis away) the connection stays signed out and hello can be retried.
        var previous = sessions.bind(new SessionLocation(p.subject(), p.role(), nodeId, c.id()), clock.millis());
        ServerMessage.PresenceView presenceView = null;
        if (p.role().serves()) {
            StaffPresence sp = presence.connect(p);
            c.chose(sp.status());
            presenceView = new ServerMessage.PresenceView(sp.effectiveStatus().wire(), sp.load(), sp.profile().capacity());
        }
        var request = p.role().requestsService() ? routing.openRequestOf(p.subject()).orElse(null) : null;
        c.authenticate(p);
        if (request != null) {
            c.startWaiting(request.request(), request.reply().position());
        }
        local.bind(p.subject(), c);
        previous.filter(prev -> !prev.connectionId().equals(c.id())).ifPresent(router::replaced);
        var call = calls.resume(p).orElse(null);
        var ended = call != null ? null : calls.endedSince(p.subject(),
                clock.millis() - config.cluster().reconnectGrace().toMillis()).orElse(null);
        List<ServerMessage.TopicView> topics = config.routing().topics().stream()
                .map(t -> new ServerMessage.TopicView(t.id(), t.names())).toList();
        return new ServerMessage.Welcome(replyId, p.subject(), p.role().wire(), p.name(), nodeId, topics,
                config.routing().languages(), presenceView, request == null ? null : request.reply(), call, ended);
    }

    /** The socket closed: the grace period starts, unless a newer connection already took over. */
    public void closed(ClientConnection c) {
        boolean current = local.closed(c);
        Principal p = c.principal();
        if (p == null || !current) {
            return;
        }
        if (sessions.unbind(new SessionLocation(p.subject(), p.role(), nodeId, c.id()), clock.millis())) {
            if (p.role().serves()) {
                presence.disconnect(p.subject());
            }
            calls.away(p.subject());
        }
    }

    /** Ends the business of subjects whose grace period ran out (run periodically on every node). */
    public void reapExpired() {
        long cutoff = clock.millis() - config.cluster().reconnectGrace().toMillis();
        for (SessionLocation gone : sessions.claimExpired(cutoff, REAP_BATCH)) {
            try {
                finish(gone.subject(), gone.role(), gone.role().requestsService()
                        ? EndReason.CUSTOMER_DISCONNECTED : EndReason.STAFF_DISCONNECTED);
            } catch (RuntimeException e) {
                log.warn("ending the session of a departed {} failed: {}", gone.role().wire(), e.toString());
            }
        }
    }

    /** Ends a subject's request, call and presence with the reason (grace expired, or shutdown). */
    public void finish(Subject subject, Role role, EndReason reason) {
        // At shutdown the subject is still connected and is told too; after the grace period they are gone.
        Subject quiet = reason == EndReason.SERVER_SHUTDOWN ? null : subject;
        calls.liveCallOf(subject).ifPresent(call -> calls.end(call.callId(), reason, quiet));
        if (role.requestsService()) {
            routing.openRequestOf(subject).ifPresent(r -> routing.cancel(r.request().id(), reason));
        } else if (role.serves()) {
            presence.setStatus(subject, StaffStatus.OFFLINE);
        }
    }
}
