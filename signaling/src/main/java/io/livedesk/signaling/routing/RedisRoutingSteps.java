package io.livedesk.signaling.routing;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.RedisCallStore;
import io.livedesk.signaling.presence.RedisPresenceStore;
import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

import static io.livedesk.signaling.redis.RedisHashes.field;
import static io.livedesk.signaling.redis.RedisHashes.toMap;

/**
 * {@link RoutingSteps} in Redis: each step one Lua script over the {@code {ld}} keys of routing, presence and
 * calls, built from the same Lua functions as the stores' own scripts (routing_queue, routing_offer,
 * call_common), so a step and the operations it combines cannot drift apart. Run on Lettuce's asynchronous API:
 * no thread waits for a step, and its stage completes (with the reply parsed) on Lettuce's I/O thread.
 */
public final class RedisRoutingSteps implements RoutingSteps {
    /** What routing_open.lua answers when the customer has a live call. */
    private static final long OPEN_LIVE_CALL = -3;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final RedisKeys keys;
    private final RedisRoutingStore routing;
    private final RedisCallStore calls;
    private final RedisPresenceStore presence;
    private final LuaScript open = LuaScript.load("routing_open", "routing_queue", "routing_offer", "call_common");
    private final LuaScript endCall = LuaScript.load("call_end", "routing_offer", "call_common");
    private final LuaScript acceptCall = LuaScript.load("routing_accept_call", "call_common");
    /** Stands for the offer's time in a record given to routing_accept_call.lua, which knows it. */
    static final long OFFERED_AT_STAND_IN = -1;

    public RedisRoutingSteps(RedisConnections connections, RedisKeys keys, RedisRoutingStore routing,
                             RedisCallStore calls, RedisPresenceStore presence) {
        this.redis = connections.async();
        this.keys = keys;
        this.routing = routing;
        this.calls = calls;
        this.presence = presence;
        for (LuaScript s : List.of(open, endCall, acceptCall)) {
            s.preload(connections.sync());
        }
    }

    @Override
    public CompletionStage<Opened> open(ServiceRequest request, CallRecord queued, long nowMs, long ringMs) {
        if (!queued.callId().equals(request.callId())) {
            throw new IllegalArgumentException("the record is for call " + queued.callId() + ", not " + request.callId());
        }
        return open.<List<Object>>runAsync(redis, keys, ScriptOutputType.MULTI, keys.request(request.id()),
                        args(routing.enqueueArgs(request), calls.createArgs(queued), Long.toString(nowMs), Long.toString(nowMs + ringMs)))
                .thenApply(reply -> opened(reply, request, nowMs, ringMs));
    }

    private Opened opened(List<Object> reply, ServiceRequest request, long nowMs, long ringMs) {
        long place = (Long) reply.get(0);
        if (place == OPEN_LIVE_CALL) {
            throw new IllegalStateException("customer has a live call");
        }
        int checked = RedisRoutingStore.checkedPlace(place);
        if (reply.size() == 1) {
            return new Opened(checked, Optional.empty());
        }
        Subject staffId = Subject.of((String) reply.get(1));
        Offer offer = new Offer(request.id(), staffId, nowMs, nowMs + ringMs, RedisRoutingStore.isOne(reply.get(2)));
        return new Opened(checked, Optional.of(new OfferMade(offer, request, member(staffId, reply.get(3)))));
    }

    @Override
    public CompletionStage<AcceptOutcome> accept(RequestId requestId, Subject staffId, long nowMs, CallRecord expected,
                                                 LongFunction<CallRecord> answered) {
        // The script puts the offer's time where the record has this stand-in (see routing_accept_call.lua).
        CallRecord call = answered.apply(OFFERED_AT_STAND_IN);
        return acceptCall.<List<Object>>runAsync(redis, keys, ScriptOutputType.MULTI, keys.request(requestId),
                        args(new String[]{requestId.value(), staffId.value(), Long.toString(nowMs)},
                                calls.compareAndSetArgs(expected, call)))
                .thenApply(reply -> accepted(reply, requestId, staffId, call));
    }

    private AcceptOutcome accepted(List<Object> reply, RequestId requestId, Subject staffId, CallRecord call) {
        long done = (Long) reply.get(0);
        if (done == 0) {
            return new AcceptOutcome.NotOffered();
        }
        if (done < 0) {
            return new AcceptOutcome.RecordChanged();
        }
        Map<String, String> hash = toMap(list(reply.get(1)));
        Offer offer = new Offer(requestId, staffId, Long.parseLong(field(hash, "offeredAt")),
                Long.parseLong(field(hash, "expiresAt")));
        CallRecord started = call.offeredAtMs() == OFFERED_AT_STAND_IN ? call.withOfferedAt(offer.offeredAtMs()) : call;
        return new AcceptOutcome.Started(new Accepted(routing.parseRequest(hash), offer), started);
    }

    @Override
    public CompletionStage<Optional<Freed>> endCall(CallRecord live, CallRecord ended, long nowMs, long ringMs,
                                                    boolean offerNext) {
        Subject staffId = ended.staffId();
        return endCall.<List<Object>>runAsync(redis, keys, ScriptOutputType.MULTI, keys.call(live.callId()),
                        args(calls.compareAndSetArgs(live, ended), staffId.value(), Long.toString(nowMs),
                                Long.toString(nowMs + ringMs), offerNext ? "1" : "0"))
                .thenApply(reply -> freed(reply, staffId, nowMs, ringMs, offerNext));
    }

    private Optional<Freed> freed(List<Object> reply, Subject staffId, long nowMs, long ringMs, boolean offerNext) {
        if (!RedisRoutingStore.isOne(reply.get(0))) {
            return Optional.empty();
        }
        List<?> memberHash = (List<?>) reply.get(1);
        Optional<StaffPresence> member = memberHash.isEmpty() ? Optional.empty() : Optional.of(member(staffId, memberHash));
        if (reply.size() < 4) {
            return Optional.of(new Freed(staffId, member, offerNext, Optional.empty()));
        }
        ServiceRequest request = routing.parseRequest(toMap(list(reply.get(2))));
        Offer offer = new Offer(request.id(), staffId, nowMs, nowMs + ringMs, RedisRoutingStore.isOne(reply.get(3)));
        return Optional.of(new Freed(staffId, member, offerNext, Optional.of(new OfferMade(offer, request, member.orElseThrow()))));
    }

    private StaffPresence member(Subject staffId, Object flatHash) {
        return presence.parse(staffId, toMap(list(flatHash)));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object reply) {
        return (List<Object>) reply;
    }

    private static String[] args(String[] first, String[] second, String... rest) {
        List<String> all = new ArrayList<>(Arrays.asList(first));
        all.addAll(Arrays.asList(second));
        all.addAll(Arrays.asList(rest));
        return all.toArray(String[]::new);
    }

    private static String[] args(String[] first, String... rest) {
        return args(first, new String[0], rest);
    }
}
