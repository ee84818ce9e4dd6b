package io.livedesk.signaling.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.live.BroadcastOrigin;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.livedesk.signaling.redis.RedisHashes.field;
import static io.livedesk.signaling.redis.RedisHashes.toMap;

/**
 * Routing in Redis, shared by every node. Every mutating method is one Lua script, so offers, queues and
 * staff load change together however many nodes route at once. The model (all under one hash tag):
 * <ul>
 *   <li>{@link RedisKeys#available}: per (skill, language), the staff routable for it, scored by idleSince
 *       (kept by every presence and routing script), so matching a request walks it in idle order;</li>
 *   <li>{@link RedisKeys#queue}: per (topic, language), WAITING requests scored by rank; the member is
 *       the enqueue time (16 digits) then {@code :} and the id, so that equal ranks sort by enqueue time
 *       then id, as Redis orders equal scores by member;</li>
 *   <li>{@link RedisKeys#request} (fields, state, offer), {@link RedisKeys#exclusions},
 *       {@link RedisKeys#openRequest}, {@link RedisKeys#offers} (by expiry), and per-topic
 *       {@link RedisKeys#waiting} / {@link RedisKeys#offered} for stats.</li>
 * </ul>
 * A match walks at most 200 entries of one sorted set (SCAN_LIMIT in common.lua), skipping only members
 * and requests excluded from each other; the in-memory store has the same bound.
 */
public final class RedisRoutingStore implements RoutingStore {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final ObjectMapper json = new ObjectMapper();
    private final LuaScript enqueue = LuaScript.load("routing_enqueue", "routing_queue");
    private final LuaScript matchRequest = LuaScript.load("routing_match_request", "routing_offer");
    private final LuaScript matchStaff = LuaScript.load("routing_match_staff", "routing_offer");
    private final LuaScript offerTo = LuaScript.load("routing_offer_to", "routing_offer");
    private final LuaScript accept = LuaScript.load("routing_accept");
    private final LuaScript release = LuaScript.load("routing_release");
    private final LuaScript cancel = LuaScript.load("routing_cancel");
    private final LuaScript callEnded = LuaScript.load("routing_call_ended");
    private final LuaScript restoreLoad = LuaScript.load("routing_restore_load");
    private final LuaScript expiredOffers = LuaScript.load("routing_expired_offers");
    private final LuaScript offersTo = LuaScript.load("routing_offers_to");
    private final LuaScript position = LuaScript.load("routing_position");
    private final LuaScript stats = LuaScript.load("routing_stats");
    private final LuaScript loads = LuaScript.load("routing_loads");
    private final LuaScript standings = LuaScript.load("routing_standings");
    private final LuaScript matchEachStaff = LuaScript.load("routing_match_each_staff", "routing_offer");

    /** What routing_enqueue.lua answers instead of a place when it changed nothing. */
    private static final long ENQUEUE_ID_TAKEN = -1;
    private static final long ENQUEUE_CUSTOMER_OPEN = -2;

    public RedisRoutingStore(RedisConnections connections, RedisKeys keys) {
        this.redis = connections.sync();
        this.keys = keys;
        for (LuaScript s : List.of(enqueue, matchRequest, matchStaff, offerTo, accept, release, cancel, callEnded,
                restoreLoad, expiredOffers, offersTo, position, stats, standings, matchEachStaff)) {
            s.preload(redis);
        }
    }

    /** The queue member: fixed-width enqueue time first, so equal ranks order by it and then by id. */
    static String queueMember(ServiceRequest r) {
        if (r.enqueuedAtMs() < 0) {
            throw new IllegalArgumentException("enqueuedAtMs must not be negative");
        }
        return String.format("%016d:%s", r.enqueuedAtMs(), r.id().value());
    }

    @Override
    public int enqueue(ServiceRequest r) {
        return checkedPlace(enqueue.run(redis, keys, ScriptOutputType.INTEGER, keys.request(r.id()), enqueueArgs(r)));
    }

    /** The arguments of enqueue_request (routing_queue.lua) for the request. */
    String[] enqueueArgs(ServiceRequest r) {
        return new String[]{r.id().value(), r.customerId().value(), toJson(r.customerName()), r.topic(), r.language(),
                Integer.toString(r.priority()), toJson(r.context()), Long.toString(r.enqueuedAtMs()), Double.toString(r.rank()),
                queueMember(r), r.isTransfer() ? r.transfer().callId().value() : "",
                r.isTransfer() ? toJson(r.transfer().fromStaffName()) : "",
                r.isTransfer() && r.transfer().toNamedColleague() ? r.transfer().colleagueId().value() : "",
                r.origin() == null ? "" : toJson(r.origin())};
    }

    /** enqueue_request's place, or the exception its error code stands for. */
    static int checkedPlace(long place) {
        if (place == ENQUEUE_ID_TAKEN) {
            throw new IllegalStateException("request id already in routing");
        }
        if (place == ENQUEUE_CUSTOMER_OPEN) {
            throw new IllegalStateException("customer already has an open request");
        }
        return (int) place;
    }

    @Override
    public Optional<ServiceRequest> request(RequestId requestId) {
        Map<String, String> hash = redis.hgetall(keys.request(requestId));
        return hash == null || hash.isEmpty() ? Optional.empty() : Optional.of(parseRequest(hash));
    }

    @Override
    public Optional<RequestState> state(RequestId requestId) {
        return Optional.ofNullable(redis.hget(keys.request(requestId), "state")).map(RequestState::valueOf);
    }

    @Override
    public Optional<RequestId> openRequestOf(Subject customerId) {
        return Optional.ofNullable(redis.get(keys.openRequest(customerId))).map(RequestId::of);
    }

    @Override
    public Optional<Offer> matchRequest(RequestId requestId, long nowMs, long ringMs) {
        List<Object> offered = matchRequest.run(redis, keys, ScriptOutputType.MULTI, keys.request(requestId),
                requestId.value(), Long.toString(nowMs), Long.toString(nowMs + ringMs));
        return offered.isEmpty() ? Optional.empty() : Optional.of(new Offer(requestId, Subject.of((String) offered.get(0)),
                nowMs, nowMs + ringMs, isOne(offered.get(1))));
    }

    @Override
    public Optional<Offer> offerTo(RequestId requestId, Subject staffId, long nowMs, long ringMs) {
        List<Object> offered = offerTo.run(redis, keys, ScriptOutputType.MULTI, keys.request(requestId),
                requestId.value(), staffId.value(), Long.toString(nowMs), Long.toString(nowMs + ringMs));
        return offered.isEmpty() ? Optional.empty()
                : Optional.of(new Offer(requestId, staffId, nowMs, nowMs + ringMs, isOne(offered.get(0))));
    }

    @Override
    public Optional<Offer> matchStaff(Subject staffId, long nowMs, long ringMs) {
        List<Object> offered = matchStaff.run(redis, keys, ScriptOutputType.MULTI, keys.staff(staffId),
                staffId.value(), Long.toString(nowMs), Long.toString(nowMs + ringMs));
        return offered.isEmpty() ? Optional.empty() : Optional.of(new Offer(RequestId.of((String) offered.get(0)), staffId,
                nowMs, nowMs + ringMs, isOne(offered.get(1))));
    }

    @Override
    public Optional<Offer> offerOf(RequestId requestId) {
        List<String> fields = values(redis.hmget(keys.request(requestId), "state", "staff", "offeredAt", "expiresAt"));
        if (!"OFFERED".equals(fields.get(0)) || fields.get(1) == null) {
            return Optional.empty();
        }
        return Optional.of(new Offer(requestId, Subject.of(fields.get(1)), Long.parseLong(fields.get(2)),
                Long.parseLong(fields.get(3))));
    }

    @Override
    public List<Offer> ringingOffersTo(Subject staffId, long nowMs) {
        List<Object> flat = offersTo.run(redis, keys, ScriptOutputType.MULTI, keys.staffOffers(staffId),
                staffId.value(), Long.toString(nowMs));
        List<Offer> out = new ArrayList<>();
        for (int i = 0; i + 2 < flat.size(); i += 3) {
            out.add(new Offer(RequestId.of((String) flat.get(i)), staffId, Long.parseLong((String) flat.get(i + 1)),
                    Long.parseLong((String) flat.get(i + 2))));
        }
        out.sort(Comparator.comparingLong(Offer::offeredAtMs).thenComparing(o -> o.requestId().value()));
        return out;
    }

    @Override
    public Optional<Accepted> accept(RequestId requestId, Subject staffId, long nowMs) {
        List<Object> flat = accept.run(redis, keys, ScriptOutputType.MULTI, keys.request(requestId),
                requestId.value(), staffId.value(), Long.toString(nowMs));
        if (flat.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> hash = toMap(flat);
        return Optional.of(new Accepted(parseRequest(hash), new Offer(requestId, staffId,
                Long.parseLong(field(hash, "offeredAt")), Long.parseLong(field(hash, "expiresAt")))));
    }

    @Override
    public boolean release(RequestId requestId, Subject staffId, ReleaseReason reason, long nowMs, long reofferDelayMs,
                           boolean memberAway) {
        Long done = release.run(redis, keys, ScriptOutputType.INTEGER, keys.request(requestId),
                requestId.value(), staffId.value(), Long.toString(nowMs), Long.toString(nowMs + reofferDelayMs),
                memberAway ? "1" : "0");
        return done == 1L;
    }

    @Override
    public Optional<Cancelled> cancel(RequestId requestId, long nowMs) {
        List<Object> flat = cancel.run(redis, keys, ScriptOutputType.MULTI, keys.request(requestId),
                requestId.value(), Long.toString(nowMs));
        if (flat.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> hash = toMap(flat);
        Optional<Offer> revoked = "OFFERED".equals(hash.get("state"))
                ? Optional.of(new Offer(requestId, Subject.of(field(hash, "staff")), Long.parseLong(field(hash, "offeredAt")),
                        Long.parseLong(field(hash, "expiresAt"))))
                : Optional.empty();
        return Optional.of(new Cancelled(parseRequest(hash), revoked));
    }

    @Override
    public void callEnded(Subject staffId, long nowMs) {
        callEnded.run(redis, keys, ScriptOutputType.INTEGER, keys.staff(staffId), staffId.value(), Long.toString(nowMs));
    }

    @Override
    public boolean restoreLoad(Subject staffId, int liveCalls) {
        Long known = restoreLoad.run(redis, keys, ScriptOutputType.INTEGER, keys.staff(staffId), staffId.value(),
                Integer.toString(Math.max(0, liveCalls)));
        return known == 1L;
    }

    @Override
    public List<Offer> expiredOffers(long nowMs, int max) {
        if (max <= 0) {
            return List.of();
        }
        List<Object> flat = expiredOffers.run(redis, keys, ScriptOutputType.MULTI, keys.offers(),
                Long.toString(nowMs), Integer.toString(max));
        List<Offer> out = new ArrayList<>();
        for (int i = 0; i + 3 < flat.size(); i += 4) {
            out.add(new Offer(RequestId.of((String) flat.get(i)), Subject.of((String) flat.get(i + 1)), Long.parseLong((String) flat.get(i + 2)),
                    Long.parseLong((String) flat.get(i + 3))));
        }
        return out;
    }

    @Override
    public Optional<Integer> position(RequestId requestId) {
        Long place = position.run(redis, keys, ScriptOutputType.INTEGER, keys.request(requestId), requestId.value());
        return place == 0 ? Optional.empty() : Optional.of(place.intValue());
    }

    /** Customers or members per script run of the sweep's batch steps, so that no run holds Redis long. */
    static final int BATCH = 500;

    @Override
    public Map<Subject, Standing> standings(Collection<Subject> customers) {
        Map<Subject, Standing> out = new HashMap<>();
        for (List<String> batch : batches(customers)) {
            List<Object> flat = standings.run(redis, keys, ScriptOutputType.MULTI, keys.offers(), batch.toArray(String[]::new));
            for (int i = 0; i + 3 < flat.size(); i += 4) {
                long place = (Long) flat.get(i + 3);
                out.put(Subject.of((String) flat.get(i)), new Standing(RequestId.of((String) flat.get(i + 1)),
                        (String) flat.get(i + 2), place > 0 ? Optional.of((int) place) : Optional.empty()));
            }
        }
        return out;
    }

    @Override
    public List<Offer> matchEachStaff(Collection<Subject> staffIds, long nowMs, long ringMs) {
        List<Offer> out = new ArrayList<>();
        for (List<String> batch : batches(staffIds)) {
            List<String> args = new ArrayList<>(batch.size() + 2);
            args.add(Long.toString(nowMs));
            args.add(Long.toString(nowMs + ringMs));
            args.addAll(batch);
            List<Object> flat = matchEachStaff.run(redis, keys, ScriptOutputType.MULTI, keys.offers(),
                    args.toArray(String[]::new));
            for (int i = 0; i + 2 < flat.size(); i += 3) {
                out.add(new Offer(RequestId.of((String) flat.get(i + 1)), Subject.of((String) flat.get(i)), nowMs,
                        nowMs + ringMs, isOne(flat.get(i + 2))));
            }
        }
        return out;
    }

    private static List<List<String>> batches(Collection<Subject> subjects) {
        List<List<String>> out = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        for (Subject s : subjects) {
            batch.add(s.value());
            if (batch.size() == BATCH) {
                out.add(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            out.add(batch);
        }
        return out;
    }

    @Override
    public List<QueueStats> stats(List<String> topics) {
        if (topics.isEmpty()) {
            return List.of();
        }
        List<Object> flat = stats.run(redis, keys, ScriptOutputType.MULTI, keys.offers(), topics.toArray(String[]::new));
        List<QueueStats> out = new ArrayList<>(topics.size());
        for (int i = 0; i < topics.size(); i++) {
            long waiting = (Long) flat.get(3 * i);
            long offered = (Long) flat.get(3 * i + 1);
            long oldest = (long) Double.parseDouble((String) flat.get(3 * i + 2));
            out.add(new QueueStats(topics.get(i), (int) waiting, (int) offered, oldest));
        }
        return out;
    }

    @Override
    public List<QueueLoad> loads(List<String> topics) {
        if (topics.isEmpty()) {
            return List.of();
        }
        List<Object> flat = loads.run(redis, keys, ScriptOutputType.MULTI, keys.offers(), topics.toArray(String[]::new));
        List<QueueLoad> out = new ArrayList<>(flat.size() / 5);
        for (int i = 0; i + 4 < flat.size(); i += 5) {
            out.add(new QueueLoad((String) flat.get(i), (String) flat.get(i + 1), ((Long) flat.get(i + 2)).intValue(),
                    ((Long) flat.get(i + 3)).intValue(), (long) Double.parseDouble((String) flat.get(i + 4))));
        }
        return out;
    }

    /** A script's 1 (Redis answers Lua's numbers as integers). */
    static boolean isOne(Object reply) {
        return Long.valueOf(1).equals(reply);
    }

    ServiceRequest parseRequest(Map<String, String> h) {
        return new ServiceRequest(RequestId.of(field(h, "id")), Subject.of(field(h, "customerId")), read(field(h, "customerName"), String.class),
                field(h, "topic"),
                field(h, "language"), Integer.parseInt(field(h, "priority")), read(field(h, "context"), STRING_MAP),
                Long.parseLong(field(h, "enqueuedAt")), Double.parseDouble(field(h, "rank")), parseTransfer(h),
                parseOrigin(h));
    }

    private BroadcastOrigin parseOrigin(Map<String, String> h) {
        String origin = h.get("origin");
        return origin == null || origin.isEmpty() ? null : read(origin, BroadcastOrigin.class);
    }

    private Transfer parseTransfer(Map<String, String> h) {
        String callId = h.get("transferOf");
        if (callId == null || callId.isEmpty()) {
            return null;
        }
        String colleague = h.get("colleague");
        return new Transfer(CallId.of(callId), read(h.get("transferFrom"), String.class),
                colleague == null || colleague.isEmpty() ? null : Subject.of(colleague));
    }

    private static List<String> values(List<KeyValue<String, String>> kvs) {
        List<String> out = new ArrayList<>(kvs.size());
        for (KeyValue<String, String> kv : kvs) {
            out.add(kv.getValueOrElse(null));
        }
        return out;
    }

    /** Context and customer name are stored as JSON (the name may be null). */
    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad request field stored", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad request field stored", e);
        }
    }
}
