package io.livedesk.signaling.server;

import io.lettuce.core.RedisException;
import io.livedesk.signaling.async.Stages;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallService;
import io.livedesk.signaling.callback.CallbackService;
import io.livedesk.signaling.live.LiveService;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.presence.StaffStatus;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.Queued;
import io.livedesk.signaling.routing.RoutingService;
import io.livedesk.signaling.routing.ServiceRequest;
import io.livedesk.signaling.session.SessionService;
import io.livedesk.signaling.wallboard.Wallboard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Handles one client message on a worker thread: checks that the caller is signed in and that their
 * role may send it, runs it, and answers with its reply or an error. A failure here never reaches the
 * socket as anything but an {@code error} message.
 */
public final class ClientMessageHandler {
    private static final Logger log = LoggerFactory.getLogger(ClientMessageHandler.class);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private final SessionService sessions;
    private final PresenceService presence;
    private final RoutingService routing;
    private final CallService calls;
    private final LiveService live;
    private final Wallboard wallboard;
    private final CallbackService callbacks;
    private final Metrics metrics;
    private final Clock clock;
    private final long activityResolutionMs;

    /** @param activityResolution a staff member's last activity is stored at most this often per connection */
    public ClientMessageHandler(SessionService sessions, PresenceService presence, RoutingService routing,
                                CallService calls, LiveService live, Wallboard wallboard, CallbackService callbacks,
                                Metrics metrics, Clock clock, Duration activityResolution) {
        this.activityResolutionMs = activityResolution.toMillis();
        this.wallboard = wallboard;
        this.callbacks = callbacks;
        this.sessions = sessions;
        this.presence = presence;
        this.routing = routing;
        this.calls = calls;
        this.live = live;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Handles the message; the stage completes once it is answered. A message whose store step is under way
     * holds no thread (the stage completes later, on a worker): the connection's next message waits for the
     * stage, not for a thread.
     */
    public CompletionStage<Void> handle(ClientConnection c, ClientMessage message) {
        CompletionStage<Void> answered;
        try {
            answered = dispatch(c, message);
        } catch (RuntimeException e) {
            failed(c, message, e);
            return DONE;
        }
        return answered.exceptionally(e -> {
            failed(c, message, Stages.cause(e));
            return null;
        });
    }

    private void failed(ClientConnection c, ClientMessage message, Throwable failure) {
        if (failure instanceof ProtocolException e) {
            sendError(c, message.id(), e.code(), e.getMessage());
        } else if (failure instanceof RedisException e) {
            log.warn("store unavailable while handling {}: {}", message.getClass().getSimpleName(), e.toString());
            sendError(c, message.id(), ErrorCode.UNAVAILABLE, "a store did not answer; try again");
        } else {
            String ref = UUID.randomUUID().toString().substring(0, 8);
            log.error("internal error {} handling {}", ref, message.getClass().getSimpleName(), failure);
            sendError(c, message.id(), ErrorCode.INTERNAL, "internal error, reference " + ref);
        }
    }

    /** The connection closed: it left its broadcast, and its session's grace period starts. */
    public void closed(ClientConnection c) {
        try {
            wallboard.closed(c);
            live.closed(c);
        } finally {
            sessions.closed(c);
        }
    }

    public void sendError(ClientConnection c, String id, ErrorCode code, String text) {
        metrics.error(code.wire());
        c.send(new ServerMessage.Error(id, code.wire(), text));
    }

    /** The node (or this connection) is past its admission limit: try again after the given time. */
    public void sendOverloaded(ClientConnection c, String id, Duration retryAfter) {
        metrics.error(ErrorCode.OVERLOADED.wire());
        c.send(new ServerMessage.Error(id, ErrorCode.OVERLOADED.wire(), "the server is busy; try again",
                retryAfter.toMillis()));
    }

    private void reply(ClientConnection c, ServerMessage m) {
        c.send(m);
    }

    /**
     * Work that follows a reply already sent: a failure is logged, not answered a second time. What it
     * would have done is retried by the routing sweep, so nothing is lost.
     */
    private static void afterReply(String what, Runnable followUp) {
        try {
            followUp.run();
        } catch (RuntimeException e) {
            log.warn("{} after the reply failed; the routing sweep retries it: {}", what, e.toString());
        }
    }

    private CompletionStage<Void> accept(ClientConnection c, Principal p, ClientMessage.OfferAccept accept) {
        return calls.accept(p, accept).handle((answer, failure) -> {
            if (failure == null) {
                reply(c, answer.started());
                ServiceRequest request = answer.request();
                if (request.origin() != null) {
                    afterReply("counting a consultation", () -> live.consultationAnswered(request.origin()));
                }
                return null;
            }
            RuntimeException e = Stages.unchecked(failure);
            // A retry of an accept that answered unavailable may find its first attempt done (the request left
            // routing); finishing it here keeps the request from being lost between routing and the call.
            if (!(e instanceof ProtocolException expired) || expired.code() != ErrorCode.OFFER_EXPIRED
                    || routing.routes(accept.requestId())) {
                throw e;
            }
            reply(c, calls.acceptedBefore(p, CallId.of(accept.requestId().value()), accept.id()).orElseThrow(() -> e));
            return null;
        });
    }

    /** A new request's reply, then (the customer knowing they are queued) the offer it may have got at once. */
    private void queued(ClientConnection c, Queued queued, String what) {
        reply(c, queued.reply());
        c.startWaiting(queued.request(), queued.reply().position());
        afterReply(what, () -> routing.announce(queued));
    }

    private CompletionStage<Void> dispatch(ClientConnection c, ClientMessage message) {
        if (message instanceof ClientMessage.Hello h) {
            reply(c, sessions.hello(c, h.id(), h.token()));
            Principal signedIn = c.principal();
            if (signedIn.role().serves()) {
                // Back within the grace period: what still rings at them rings again, with the time it has left.
                afterReply("showing ringing offers again", () -> routing.ringingOffers(signedIn.subject()).forEach(c::send));
            }
            return DONE;
        }
        Principal p = c.principal();
        if (p == null) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, "send hello with a token first");
        }
        if (!message.allowedRoles().contains(p.role())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "a " + p.role().wire() + " may not send this message");
        }
        if (p.role().serves() && c.activityDue(clock.millis(), activityResolutionMs)) {
            presence.touch(p.subject());
        }
        if (message instanceof ClientMessage.Ping ping) {
            reply(c, new ServerMessage.Pong(ping.id(), clock.millis()));
        } else if (message instanceof ClientMessage.PresenceSet set) {
            StaffStatus status = StaffStatus.fromWire(set.status());
            var updated = presence.setStatus(p.subject(), status)
                    .orElseThrow(() -> new ProtocolException(ErrorCode.INVALID_STATE, "not signed in as staff"));
            c.chose(status);
            reply(c, PresenceService.view(set.id(), updated));
            if (status == StaffStatus.AVAILABLE) {
                afterReply("offering work", () -> routing.offerWorkTo(p.subject()));
            }
        } else if (message instanceof ClientMessage.RequestCreate create) {
            return routing.create(p, create).thenAccept(queued -> queued(c, queued, "offering a new request"));
        } else if (message instanceof ClientMessage.RequestCancel cancel) {
            CallId call = CallId.of(cancel.requestId()); // the call a customer's own request became
            if (calls.get(call).filter(r -> r.isParty(p.subject()) && r.state().live()).isPresent()) {
                // Accepted a moment ago: cancelling now means hanging up.
                return calls.hangup(p, call, cancel.id()).thenAccept(ended -> {
                    reply(c, ended);
                    c.stopWaiting();
                });
            }
            reply(c, routing.cancel(p, cancel));
            c.stopWaiting(); // at once, not at the next sweep: nothing left to put back if Redis loses its data
        } else if (message instanceof ClientMessage.OfferAccept accept) {
            return accept(c, p, accept);
        } else if (message instanceof ClientMessage.OfferDecline decline) {
            reply(c, routing.decline(p, decline));
        } else if (message instanceof ClientMessage.CallSignal signal) {
            calls.signal(p, signal);
            reply(c, new ServerMessage.Ack(signal.id()));
        } else if (message instanceof ClientMessage.CallHangup hangup) {
            return calls.hangup(p, hangup.callId(), hangup.id()).thenAccept(ended -> reply(c, ended));
        } else if (message instanceof ClientMessage.CallJoin join) {
            reply(c, calls.join(p, join));
        } else if (message instanceof ClientMessage.CallTransfer transfer) {
            reply(c, calls.transfer(p, transfer));
        } else if (message instanceof ClientMessage.CallVideoShown shown) {
            calls.videoShown(p, shown.callId());
            reply(c, new ServerMessage.Ack(shown.id()));
        } else if (message instanceof ClientMessage.CallbackRequestCreate request) {
            reply(c, callbacks.request(p, request));
        } else if (message instanceof ClientMessage.CallbacksList list) {
            reply(c, callbacks.list(p, list));
        } else if (message instanceof ClientMessage.CallbackTake take) {
            reply(c, callbacks.take(p, take));
        } else if (message instanceof ClientMessage.CallbackClose close) {
            reply(c, callbacks.close(p, close));
        } else if (message instanceof ClientMessage.WallboardSubscribe open) {
            reply(c, wallboard.subscribe(c, open.id()));
        } else if (message instanceof ClientMessage.WallboardUnsubscribe close) {
            wallboard.unsubscribe(c);
            reply(c, new ServerMessage.Ack(close.id()));
        } else if (message instanceof ClientMessage.AboutBroadcast about) {
            return broadcast(c, about);
        } else {
            throw new IllegalStateException("no handler for " + message.getClass().getSimpleName());
        }
        return DONE;
    }

    private CompletionStage<Void> broadcast(ClientConnection c, ClientMessage.AboutBroadcast message) {
        if (message instanceof ClientMessage.BroadcastJoin m) {
            reply(c, live.join(c, m));
        } else if (message instanceof ClientMessage.BroadcastLeave m) {
            reply(c, live.leave(c, m));
        } else if (message instanceof ClientMessage.BroadcastSignal m) {
            reply(c, live.signal(c, m));
        } else if (message instanceof ClientMessage.BroadcastView m) {
            reply(c, live.view(c, m));
        } else if (message instanceof ClientMessage.ChatSend m) {
            reply(c, live.chat(c, m));
        } else if (message instanceof ClientMessage.BroadcastLike m) {
            reply(c, live.like(c, m));
        } else if (message instanceof ClientMessage.BroadcastConsult m) {
            return live.consult(c, m).thenAccept(queued -> queued(c, queued, "offering a consultation"));
        } else if (message instanceof ClientMessage.BroadcastViewers m) {
            reply(c, live.viewers(c, m));
        } else if (message instanceof ClientMessage.ChatDelete m) {
            reply(c, live.deleteChat(c, m));
        } else if (message instanceof ClientMessage.ViewerMute m) {
            reply(c, live.mute(c, m));
        } else if (message instanceof ClientMessage.ViewerRemove m) {
            reply(c, live.remove(c, m));
        } else if (message instanceof ClientMessage.CardPin m) {
            reply(c, live.pin(c, m));
        } else if (message instanceof ClientMessage.CardUnpin m) {
            reply(c, live.unpin(c, m));
        } else if (message instanceof ClientMessage.StageAdd m) {
            reply(c, live.stageAdd(c, m));
        } else if (message instanceof ClientMessage.StageRemove m) {
            reply(c, live.stageRemove(c, m));
        } else if (message instanceof ClientMessage.StageLeave m) {
            reply(c, live.stageLeave(c, m));
        } else {
            throw new IllegalStateException("no handler for " + message.getClass().getSimpleName());
        }
        return DONE;
    }
}
