package io.livedesk.signaling.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Callback requests in Redis ({@link RedisKeys#callback} and the sets beside it): a hash per request, the open
 * ids in one sorted set by age, each staff member's taken ids in another, and each customer's active id. A
 * new request is one script (one active request per customer); taking and closing are one compare-and-set
 * script on the request's state and staff member, so two staff members racing for one request cannot both
 * win. A closed request's hash expires after the retention.
 */
public final class RedisCallbackStore implements CallbackStore {
    /** A take or close that lost a race reads the request again and decides afresh, at most this often. */
    private static final int ATTEMPTS = 3;

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final ObjectMapper json;
    private final long retentionSeconds;
    private final LuaScript create = LuaScript.load("callback_create");
    private final LuaScript compareAndSet = LuaScript.load("callback_compare_and_set");

    public RedisCallbackStore(RedisConnections connections, RedisKeys keys, ObjectMapper json, Duration retention) {
        this.redis = connections.sync();
        this.keys = keys;
        this.json = json;
        this.retentionSeconds = Math.max(1, retention.toSeconds());
        create.preload(redis);
        compareAndSet.preload(redis);
    }

    @Override
    public Optional<CallbackRequest> create(CallbackRequest r) {
        String existing = create.run(redis, keys, ScriptOutputType.VALUE, keys.callback(r.id().value()),
                r.id().value(), r.customerId().value(), Long.toString(r.createdAtMs()),
                "name", r.name(), "phone", r.phone(), "note", r.note(), "when", r.preferredTime(),
                "topic", r.topic(), "lang", r.language(), "ctx", write(r.context()),
                "taken", "0", "outcome", "", "onote", "", "closed", "0");
        return existing == null ? Optional.empty()
                : CallbackId.parse(existing).flatMap(this::get).or(() -> activeOf(r.customerId()));
    }

    @Override
    public Optional<CallbackRequest> get(CallbackId id) {
        return read(redis.hgetall(keys.callback(id.value())));
    }

    @Override
    public List<CallbackRequest> open(int limit) {
        int n = Math.max(0, Math.min(limit, OPEN_LIMIT));
        return n == 0 ? List.of() : all(redis.zrange(keys.callbacksOpen(), 0, n - 1));
    }

    @Override
    public List<CallbackRequest> takenBy(Subject staffId) {
        return all(redis.zrange(keys.callbacksTakenBy(staffId), 0, OPEN_LIMIT - 1));
    }

    @Override
    public Optional<CallbackRequest> activeOf(Subject customerId) {
        return Optional.ofNullable(redis.get(keys.callbackOf(customerId))).flatMap(CallbackId::parse).flatMap(this::get)
                .filter(r -> r.state() != CallbackState.CLOSED);
    }

    @Override
    public Optional<CallbackRequest> take(CallbackId id, Subject staffId, long nowMs) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<CallbackRequest> current = get(id);
            if (current.isEmpty() || current.get().state() != CallbackState.OPEN) {
                return Optional.empty();
            }
            CallbackRequest taken = current.get().takenBy(staffId, nowMs);
            if (replace(current.get(), taken)) {
                return Optional.of(taken);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<CallbackRequest> close(CallbackId id, Subject closer, boolean anyone, CallbackOutcome outcome,
                                           String note, long nowMs) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<CallbackRequest> current = get(id);
            if (current.isEmpty() || current.get().state() == CallbackState.CLOSED) {
                return Optional.empty();
            }
            CallbackRequest r = current.get();
            boolean holder = r.state() == CallbackState.TAKEN && r.staffId().equals(closer);
            if (!holder && !anyone) {
                return Optional.empty();
            }
            CallbackRequest closed = (r.state() == CallbackState.OPEN ? r.takenBy(closer, nowMs) : r)
                    .closed(outcome, note, nowMs);
            if (replace(r, closed)) {
                return Optional.of(closed);
            }
        }
        return Optional.empty();
    }

    @Override
    public long countOpen() {
        return redis.zcard(keys.callbacksOpen());
    }

    private boolean replace(CallbackRequest expected, CallbackRequest next) {
        Long changed = compareAndSet.run(redis, keys, ScriptOutputType.INTEGER, keys.callback(expected.id().value()),
                expected.id().value(), expected.state().wire(), staffOf(expected), next.state().wire(), staffOf(next),
                Long.toString(next.takenAtMs()), next.outcome() == null ? "" : next.outcome().wire(), next.outcomeNote(),
                Long.toString(next.closedAtMs()), Long.toString(retentionSeconds));
        return changed != null && changed == 1L;
    }

    private static String staffOf(CallbackRequest r) {
        return r.staffId() == null ? "" : r.staffId().value();
    }

    private List<CallbackRequest> all(List<String> ids) {
        List<CallbackRequest> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            CallbackId.parse(id).flatMap(this::get).ifPresent(out::add);
        }
        return out;
    }

    private Optional<CallbackRequest> read(Map<String, String> h) {
        if (h == null || h.isEmpty() || CallbackId.parse(h.get("id")).isEmpty()) {
            return Optional.empty();
        }
        String staff = h.getOrDefault("staff", "");
        String outcome = h.getOrDefault("outcome", "");
        return Optional.of(new CallbackRequest(new CallbackId(h.get("id")), Subject.of(h.get("customer")),
                h.get("name"), h.get("phone"), h.get("note"), h.get("when"), h.get("topic"), h.get("lang"),
                readContext(h.get("ctx")), number(h.get("created")),
                CallbackState.valueOf(h.get("state").toUpperCase(Locale.ROOT)), staff.isEmpty() ? null : Subject.of(staff),
                number(h.get("taken")), outcome.isEmpty() ? null : CallbackOutcome.parse(outcome).orElseThrow(),
                h.get("onote"), number(h.get("closed"))));
    }

    private static long number(String text) {
        return text == null || text.isEmpty() ? 0 : Long.parseLong(text);
    }

    private String write(Map<String, String> context) {
        try {
            return json.writeValueAsString(context);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string map always serialises", e);
        }
    }

    private Map<String, String> readContext(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        try {
            return json.readValue(text, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            return Map.of(); // a context is a hint for staff; a damaged one is not worth losing the request over
        }
    }
}
