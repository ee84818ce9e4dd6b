package io.livedesk.signaling.routing;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.presence.InMemoryPresenceStore;
import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.presence.StaffStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Routing kept in this JVM (one node). It shares the presence store's lock, so an offer and the load it
 * adds happen together. Same semantics as the Redis store, including the scan bound.
 */
public final class InMemoryRoutingStore implements RoutingStore {

    /**
     * How many candidates one match looks at (staff in idle order, or requests per queue), as in the Redis
     * scripts: a match never walks an unbounded list. Only members or requests excluded from each other
     * are skipped, so this bounds the work without changing results in practice.
     */
    static final int SCAN_LIMIT = 200;

    static final Comparator<ServiceRequest> QUEUE_ORDER = Comparator.comparingDouble(ServiceRequest::rank)
            .thenComparingLong(ServiceRequest::enqueuedAtMs)
            .thenComparing(r -> r.id().value());

    /** Least loaded first, then longest idle: offers spread over members with room (as the Redis store). */
    private static final Comparator<StaffPresence> OFFER_ORDER = Comparator.comparingInt(StaffPresence::load)
            .thenComparingLong(StaffPresence::idleSinceMs)
            .thenComparing(StaffPresence::id);

    private static final Comparator<Offer> EXPIRY_ORDER = Comparator.comparingLong(Offer::expiresAtMs)
            .thenComparing(o -> o.requestId().value());

    /** A request in routing: waiting in its queue, or out of it and ringing at one member. */
    private static final class Entry {
        final ServiceRequest request;
        Offer offer; // null while WAITING
        boolean offeredBefore;
        final Map<Subject, Long> excludedUntilMs = new HashMap<>();

        Entry(ServiceRequest request) {
            this.request = request;
        }

        RequestState state() {
            return offer == null ? RequestState.WAITING : RequestState.OFFERED;
        }

        boolean excludes(Subject staffId, long nowMs) {
            Long until = excludedUntilMs.get(staffId);
            return until != null && nowMs < until;
        }
    }

    private record QueueKey(String topic, String language) {
    }

    private final InMemoryPresenceStore presence;
    private final Map<RequestId, Entry> requests = new HashMap<>();
    private final Map<QueueKey, TreeSet<ServiceRequest>> queues = new HashMap<>();
    private final Map<Subject, RequestId> openByCustomer = new HashMap<>();

    public InMemoryRoutingStore(InMemoryPresenceStore presence) {
        this.presence = presence;
    }

    @Override
    public int enqueue(ServiceRequest request) {
        return presence.withMembers(members -> {
            if (requests.containsKey(request.id())) {
                throw new IllegalStateException("request id already in routing: " + request.id());
            }
            if (openByCustomer.containsKey(request.customerId())) {
                throw new IllegalStateException("customer already has an open request");
            }
            requests.put(request.id(), new Entry(request));
            openByCustomer.put(request.customerId(), request.id());
            enterQueue(request);
            return request.queued() ? queueOf(request).headSet(request).size() + 1 : 0;
        });
    }

    @Override
    public Optional<ServiceRequest> request(RequestId requestId) {
        return presence.withMembers(members -> Optional.ofNullable(requests.get(requestId)).map(e -> e.request));
    }

    @Override
    public Optional<RequestState> state(RequestId requestId) {
        return presence.withMembers(members -> Optional.ofNullable(requests.get(requestId)).map(Entry::state));
    }

    @Override
    public Optional<RequestId> openRequestOf(Subject customerId) {
        return presence.withMembers(members -> Optional.ofNullable(openByCustomer.get(customerId)));
    }

    @Override
    public Optional<Offer> matchRequest(RequestId requestId, long nowMs, long ringMs) {
        return presence.withMembers(members -> {
            Entry entry = requests.get(requestId);
            if (entry == null || entry.state() != RequestState.WAITING || !entry.request.queued()) {
                return Optional.empty();
            }
            ServiceRequest r = entry.request;
            return members.values().stream()
                    .filter(p -> p.routable(r.topic(), r.language()))
                    .sorted(OFFER_ORDER)
                    .limit(SCAN_LIMIT)
                    .filter(p -> !entry.excludes(p.id(), nowMs))
                    .findFirst()
                    .map(p -> offer(members, entry, p, nowMs, ringMs));
        });
    }

    @Override
    public Optional<Offer> offerTo(RequestId requestId, Subject staffId, long nowMs, long ringMs) {
        return presence.withMembers(members -> {
            Entry entry = requests.get(requestId);
            StaffPresence p = members.get(staffId);
            if (entry == null || entry.state() != RequestState.WAITING || p == null || !p.connected()
                    || p.status() != StaffStatus.AVAILABLE || p.load() >= p.profile().capacity()
                    || entry.excludes(staffId, nowMs)) {
                return Optional.empty();
            }
            return Optional.of(offer(members, entry, p, nowMs, ringMs));
        });
    }

    @Override
    public Optional<Offer> matchStaff(Subject staffId, long nowMs, long ringMs) {
        return presence.withMembers(members -> {
            StaffPresence p = members.get(staffId);
            if (p == null || !p.connected() || p.status() != StaffStatus.AVAILABLE
                    || p.load() >= p.profile().capacity()) {
                return Optional.empty();
            }
            Entry best = null;
            for (String topic : p.profile().skills()) {
                for (String language : p.profile().languages()) {
                    Entry first = firstEligible(queues.get(new QueueKey(topic, language)), staffId, nowMs);
                    if (first != null && (best == null || QUEUE_ORDER.compare(first.request, best.request) < 0)) {
                        best = first;
                    }
                }
            }
            return best == null ? Optional.empty() : Optional.of(offer(members, best, p, nowMs, ringMs));
        });
    }

    private Entry firstEligible(TreeSet<ServiceRequest> queue, Subject staffId, long nowMs) {
        if (queue == null) {
            return null;
        }
        int seen = 0;
        for (ServiceRequest r : queue) {
            if (seen++ >= SCAN_LIMIT) {
                return null;
            }
            Entry e = requests.get(r.id());
            if (!e.excludes(staffId, nowMs)) {
                return e;
            }
        }
        return null;
    }

    private Offer offer(Map<Subject, StaffPresence> members, Entry entry, StaffPresence staff, long nowMs, long ringMs) {
        leaveQueue(entry.request);
        boolean first = !entry.offeredBefore;
        entry.offeredBefore = true;
        entry.offer = new Offer(entry.request.id(), staff.id(), nowMs, nowMs + ringMs);
        members.put(staff.id(), withLoad(staff, staff.load() + 1, staff.idleSinceMs()));
        return new Offer(entry.offer.requestId(), staff.id(), nowMs, nowMs + ringMs, first);
    }

    @Override
    public Optional<Offer> offerOf(RequestId requestId) {
        return presence.withMembers(members -> Optional.ofNullable(requests.get(requestId)).map(e -> e.offer));
    }

    @Override
    public List<Offer> ringingOffersTo(Subject staffId, long nowMs) {
        return presence.withMembers(members -> requests.values().stream()
                .map(e -> e.offer)
                .filter(o -> o != null && o.staffId().equals(staffId) && o.expiresAtMs() > nowMs)
                .sorted(Comparator.comparingLong(Offer::offeredAtMs).thenComparing(o -> o.requestId().value()))
                .toList());
    }

    @Override
    public Optional<Accepted> accept(RequestId requestId, Subject staffId, long nowMs) {
        return presence.withMembers(members -> {
            Entry entry = requests.get(requestId);
            if (entry == null || entry.offer == null || !entry.offer.staffId().equals(staffId)
                    || nowMs >= entry.offer.expiresAtMs()) {
                return Optional.empty();
            }
            forget(entry);
            return Optional.of(new Accepted(entry.request, entry.offer));
        });
    }

    @Override
    public boolean release(RequestId requestId, Subject staffId, ReleaseReason reason, long nowMs, long reofferDelayMs,
                           boolean memberAway) {
        return presence.withMembers(members -> {
            Entry entry = requests.get(requestId);
            if (entry == null || entry.offer == null || !entry.offer.staffId().equals(staffId)) {
                return false;
            }
            entry.offer = null;
            entry.excludedUntilMs.put(staffId, nowMs + reofferDelayMs);
            enterQueue(entry.request); // same rank, so the same place
            if (memberAway) {
                members.computeIfPresent(staffId, (id, p) -> new StaffPresence(p.profile(), StaffStatus.AWAY, p.load(),
                        p.connected(), p.idleSinceMs(), nowMs));
            }
            lowerLoad(members, staffId, nowMs, false);
            return true;
        });
    }

    @Override
    public Optional<Cancelled> cancel(RequestId requestId, long nowMs) {
        return presence.withMembers(members -> {
            Entry entry = requests.get(requestId);
            if (entry == null) {
                return Optional.empty();
            }
            Optional<Offer> revoked = Optional.ofNullable(entry.offer);
            if (entry.offer == null) {
                leaveQueue(entry.request);
            } else {
                lowerLoad(members, entry.offer.staffId(), nowMs, false);
            }
            forget(entry);
            return Optional.of(new Cancelled(entry.request, revoked));
        });
    }

    @Override
    public void callEnded(Subject staffId, long nowMs) {
        presence.withMembers(members -> {
            lowerLoad(members, staffId, nowMs, true);
            return null;
        });
    }

    @Override
    public boolean restoreLoad(Subject staffId, int liveCalls) {
        return presence.withMembers(members -> {
            StaffPresence p = members.get(staffId);
            if (p == null) {
                return false;
            }
            long offers = requests.values().stream().filter(e -> e.offer != null && e.offer.staffId().equals(staffId)).count();
            members.put(staffId, withLoad(p, Math.max(0, liveCalls) + (int) offers, p.idleSinceMs()));
            return true;
        });
    }

    @Override
    public List<Offer> expiredOffers(long nowMs, int max) {
        return presence.withMembers(members -> requests.values().stream()
                .map(e -> e.offer)
                .filter(o -> o != null && o.expiresAtMs() <= nowMs)
                .sorted(EXPIRY_ORDER)
                .limit(Math.max(0, max))
                .toList());
    }

    @Override
    public Optional<Integer> position(RequestId requestId) {
        return presence.withMembers(members -> {
            Entry entry = requests.get(requestId);
            if (entry == null || entry.offer != null || !entry.request.queued()) {
                return Optional.empty();
            }
            return Optional.of(queueOf(entry.request).headSet(entry.request).size() + 1);
        });
    }

    @Override
    public List<QueueStats> stats(List<String> topics) {
        return presence.withMembers(members -> {
            List<QueueStats> out = new ArrayList<>();
            for (String topic : topics) {
                int waiting = 0;
                int offered = 0;
                long oldest = Long.MAX_VALUE;
                for (Entry e : requests.values()) {
                    if (!e.request.queued() || !e.request.topic().equals(topic)) {
                        continue;
                    }
                    if (e.offer != null) {
                        offered++;
                    } else {
                        waiting++;
                        oldest = Math.min(oldest, e.request.enqueuedAtMs());
                    }
                }
                out.add(new QueueStats(topic, waiting, offered, waiting == 0 ? 0 : oldest));
            }
            return out;
        });
    }

    @Override
    public List<QueueLoad> loads(List<String> topics) {
        return presence.withMembers(members -> {
            List<QueueLoad> out = new ArrayList<>();
            for (String topic : topics) {
                Map<String, int[]> counts = new TreeMap<>(); // language -> {waiting, ringing}
                Map<String, Long> oldest = new HashMap<>();
                for (Entry e : requests.values()) {
                    if (!e.request.queued() || !e.request.topic().equals(topic)) {
                        continue;
                    }
                    counts.computeIfAbsent(e.request.language(), l -> new int[2])[e.offer == null ? 0 : 1]++;
                    oldest.merge(e.request.language(), e.request.enqueuedAtMs(), Math::min);
                }
                counts.forEach((language, c) -> out.add(new QueueLoad(topic, language, c[0], c[1], oldest.get(language))));
            }
            return out;
        });
    }

    /** Load down by one, never below zero; back to zero while AVAILABLE after a call starts a new idle period. */
    private static void lowerLoad(Map<Subject, StaffPresence> members, Subject staffId, long nowMs, boolean callEnded) {
        StaffPresence p = members.get(staffId);
        if (p == null || p.load() == 0) {
            return;
        }
        int load = p.load() - 1;
        boolean idleAgain = callEnded && load == 0
                && p.status() == StaffStatus.AVAILABLE;
        members.put(staffId, withLoad(p, load, idleAgain ? nowMs : p.idleSinceMs()));
    }

    private static StaffPresence withLoad(StaffPresence p, int load, long idleSinceMs) {
        return new StaffPresence(p.profile(), p.status(), load, p.connected(), idleSinceMs, p.lastActivityMs());
    }

    private void forget(Entry entry) {
        requests.remove(entry.request.id());
        openByCustomer.remove(entry.request.customerId(), entry.request.id());
    }

    /** A transfer to a named colleague waits in no queue: only {@link #offerTo} reaches it. */
    private void enterQueue(ServiceRequest r) {
        if (r.queued()) {
            queueOf(r).add(r);
        }
    }

    private void leaveQueue(ServiceRequest r) {
        if (r.queued()) {
            queueOf(r).remove(r);
        }
    }

    private TreeSet<ServiceRequest> queueOf(ServiceRequest r) {
        return queues.computeIfAbsent(new QueueKey(r.topic(), r.language()), k -> new TreeSet<>(QUEUE_ORDER));
    }
}
