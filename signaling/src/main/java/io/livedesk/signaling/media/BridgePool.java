package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaFlow;
import io.livedesk.media.api.MeetingId;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Several bridges behind one {@link Bridge}: a new conference goes to the healthy member with the lowest
 * stress ({@link BridgeSelector}); every later request for it goes to that member. One named thread checks
 * every member each {@code healthInterval} ({@link Bridge#stats()} then {@link MemberBridge#health()}).
 *
 * <p>Failover: a member that fails {@code downAfter} checks in a row, or whose request fails with a
 * connection error (refused, reset, connect timeout), is marked down. Its conferences are forgotten, so the
 * next request for one that does not create it answers {@link BridgeException.NotFound} and
 * {@link BridgeNegotiator} creates it again on a healthy member; {@link #onConferencesLost} listeners are
 * told which meetings were lost, so that browsers can be asked to offer again. The request that met the
 * connection error itself answers NotFound, for the same reason. A member whose check succeeds again takes
 * conferences again, after the pool expired there (best effort) the conferences it had lost.
 *
 * <p>Draining ({@link #drain}, or the bridge's own drain mode, read from its stats): a draining member gets no
 * new conference; the conferences it holds stay there, new participants included, until they end. A member that
 * reports shutting down is marked down at its first such check, which moves its calls as failover does (lost
 * listeners ask the browsers to reconnect; their offers create the conferences elsewhere), and the pool expires
 * them there at once so that the bridge may stop.
 *
 * <p>Regions: a conference may be wanted in a region ({@link #apply(ConferenceRequest, String)}): members of that
 * region (as configured for them, else as their stats say) are tried first, the others after
 * ({@link BridgeSelector}); {@link #createIn} creates a call's second-region conference on a member of that region only.
 *
 * <p>With no member up, or every one draining or shutting down, creating a conference fails with
 * {@link BridgeException.Unavailable}. A request
 * that timed out without a connection error counts as one failed check and is passed on as Unavailable.
 *
 * <p>Media status: when asked to {@link #watchMedia watch} some conferences (calls'), another named thread reads
 * every {@code mediaInterval} from each member up whether media flows on each of their endpoints, and hands the
 * changes to the watcher. One request per member and round, whatever the number of calls. A member that cannot
 * tell (a Jitsi Videobridge) is not asked again.
 *
 * <p>Thread-safe. Callers serialise the requests of one meeting (BridgeNegotiator does, per call): two
 * concurrent creations of the same meeting could land on two members.
 */
public final class BridgePool implements Bridge, CarrierBridges {
    private static final Logger log = LoggerFactory.getLogger(BridgePool.class);
    static final String THREAD_NAME = "ld-bridge-health";
    static final String MEDIA_THREAD_NAME = "ld-bridge-media";
    static final Duration DEFAULT_MEDIA_INTERVAL = Duration.ofMillis(500);

    /**
     * @param healthInterval how often every member is checked
     * @param downAfter      consecutive failed checks (or timed-out requests) that mark a member down
     * @param stopWait       how long {@link #close()} waits for a check in flight to end
     * @param mediaInterval  how often the media status of watched conferences is read
     */
    public record Options(Duration healthInterval, int downAfter, Duration stopWait, Duration mediaInterval) {
        public Options {
            requirePositive("healthInterval", healthInterval);
            requirePositive("stopWait", stopWait);
            requirePositive("mediaInterval", mediaInterval);
            if (downAfter < 1) {
                throw new IllegalArgumentException("downAfter must be at least 1: " + downAfter);
            }
        }

        public Options(Duration healthInterval, int downAfter, Duration stopWait) {
            this(healthInterval, downAfter, stopWait, DEFAULT_MEDIA_INTERVAL);
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
        }
    }

    private final String id;
    private final List<PoolMember> members;
    private final Options options;
    private final BridgeSelector selector = new BridgeSelector();
    /** meeting id → the member that holds its conference. */
    private final Map<MeetingId, PoolMember> owners = new ConcurrentHashMap<>();
    private final List<Consumer<Set<MeetingId>>> lostListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledThreadPoolExecutor health;
    private final ScheduledThreadPoolExecutor media;
    private final AtomicBoolean mediaScheduled = new AtomicBoolean();
    private volatile MediaWatch mediaWatch;
    // Media thread only (tests call checkMedia directly, one thread at a time).
    private Map<EndpointKey, MediaFlow> lastMedia = new HashMap<>();
    private long mediaRound;

    /**
     * What one media-status round changed: endpoints seen for the first time or whose flow changed, and endpoints
     * the bridge no longer has (reported {@link MediaFlow#STOPPED}: whatever they carried is gone).
     *
     * @param round increases with every round, so that a listener handing reports on can drop one overtaken by a later
     */
    public record MediaChanges(long round, List<EndpointMedia> changes) {
        public MediaChanges {
            changes = List.copyOf(changes);
        }
    }

    private record MediaWatch(Predicate<MeetingId> watched, Consumer<MediaChanges> listener) {
    }

    private record EndpointKey(MeetingId meetingId, String endpointId) {
    }

    /** @param members at least one; their ids must differ (they label metrics) */
    public BridgePool(String id, List<MemberBridge> members, Options options) {
        this.id = Objects.requireNonNull(id, "id");
        this.options = Objects.requireNonNull(options, "options");
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("a bridge pool needs at least one bridge");
        }
        List<PoolMember> list = new ArrayList<>();
        Map<String, Boolean> ids = new HashMap<>();
        for (MemberBridge m : members) {
            if (ids.put(m.bridge().id(), Boolean.TRUE) != null) {
                throw new IllegalArgumentException("two bridges of the pool have the id " + m.bridge().id());
            }
            list.add(new PoolMember(m, list.size()));
        }
        this.members = List.copyOf(list);
        this.health = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory(THREAD_NAME, true));
        health.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        health.setRemoveOnCancelPolicy(true);
        // Apart from the health checks: a remote bridge's check may wait its full timeout, and media news must not.
        this.media = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory(MEDIA_THREAD_NAME, true));
        media.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        media.setRemoveOnCancelPolicy(true);
    }

    /** Starts the periodic checks (the first at once); requests are served before and without it too. */
    public void start() {
        if (closed.get() || !started.compareAndSet(false, true)) {
            return;
        }
        long period = options.healthInterval().toNanos();
        health.scheduleWithFixedDelay(this::checkAll, 0, period, TimeUnit.NANOSECONDS);
        log.info("bridge pool {}: {} bridge(s) {}, checked every {} ms, down after {} failures", id, members.size(),
                members, options.healthInterval().toMillis(), options.downAfter());
        if (mediaWatch != null) {
            scheduleMedia();
        }
    }

    /**
     * Reads, every {@code mediaInterval} once started, whether media flows on the endpoints of the conferences
     * {@code watched} accepts, and hands each round's changes to {@code listener} on the media thread, where it must
     * not block. One watcher per pool.
     */
    public void watchMedia(Predicate<MeetingId> watched, Consumer<MediaChanges> listener) {
        MediaWatch watch = new MediaWatch(Objects.requireNonNull(watched, "watched"),
                Objects.requireNonNull(listener, "listener"));
        synchronized (this) {
            if (mediaWatch != null) {
                throw new IllegalStateException("bridge pool " + id + " already has a media watcher");
            }
            mediaWatch = watch;
        }
        if (started.get()) {
            scheduleMedia();
        }
    }

    private void scheduleMedia() {
        if (closed.get() || !mediaScheduled.compareAndSet(false, true)) {
            return;
        }
        long period = options.mediaInterval().toNanos();
        media.scheduleWithFixedDelay(this::checkMedia, period, period, TimeUnit.NANOSECONDS);
    }

    /**
     * Registers a listener told, on the thread that noticed (the check thread or a request's), which
     * meetings were lost when a bridge went down. It must not block; exceptions are logged and ignored.
     */
    public void onConferencesLost(Consumer<Set<MeetingId>> listener) {
        lostListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ConferenceReply apply(ConferenceRequest request) throws BridgeException {
        return apply(request, null);
    }

    /**
     * As {@link #apply(ConferenceRequest)}; a request that creates the conference puts it on a member of
     * {@code region} if one takes it, else on another ({@link BridgeSelector}).
     *
     * @param region where the conference is wanted; null for anywhere
     */
    public ConferenceReply apply(ConferenceRequest request, String region) throws BridgeException {
        MeetingId meetingId = request.meetingId();
        if (meetingId == null) {
            throw new BridgeException.BadRequest("meeting-id is required");
        }
        if (request.expire()) {
            expire(meetingId);
            return new ConferenceReply(List.of(), List.of());
        }
        PoolMember owner = owners.get(meetingId);
        if (owner != null) {
            return applyOn(owner, request);
        }
        if (!request.create()) {
            throw new BridgeException.NotFound("no conference " + meetingId + " on the media bridges");
        }
        return create(request, members, region);
    }

    private ConferenceReply applyOn(PoolMember owner, ConferenceRequest request) throws BridgeException {
        try {
            ConferenceReply reply = owner.bridge().apply(request);
            owner.placed(0, createdEndpoints(request));
            return reply;
        } catch (BridgeException.Unavailable e) {
            if (failed(owner, e)) {
                // Its conferences were just forgotten: NotFound makes the caller create this one elsewhere.
                throw new BridgeException.NotFound("media bridge " + owner.id() + " is down; conference "
                        + request.meetingId() + " was lost");
            }
            throw e;
        }
    }

    @Override
    public boolean takesConferenceBesides(Collection<MeetingId> held) {
        return !closed.get() && !selector.rank(membersBesides(held)).isEmpty();
    }

    @Override
    public ConferenceReply createBesides(ConferenceRequest create, Collection<MeetingId> held) throws BridgeException {
        return createIn(null, create, held);
    }

    @Override
    public boolean takesConferenceIn(String region, Collection<MeetingId> held) {
        return !closed.get() && selector.takesIn(membersBesides(held), region);
    }

    /** @param region null for any region */
    @Override
    public ConferenceReply createIn(String region, ConferenceRequest create, Collection<MeetingId> held)
            throws BridgeException {
        if (!create.create() || owners.containsKey(create.meetingId())) {
            throw new BridgeException.BadRequest("createBesides creates a conference the pool does not hold yet: "
                    + create.meetingId());
        }
        List<PoolMember> candidates = membersBesides(held);
        if (region != null) {
            candidates = candidates.stream().filter(m -> region.equals(m.region())).toList();
        }
        return create(create, candidates, region);
    }

    /** The members that hold none of {@code held}. */
    private List<PoolMember> membersBesides(Collection<MeetingId> held) {
        Set<PoolMember> holding = new HashSet<>();
        for (MeetingId meetingId : held) {
            PoolMember m = owners.get(meetingId);
            if (m != null) {
                holding.add(m);
            }
        }
        return members.stream().filter(m -> !holding.contains(m)).toList();
    }

    private ConferenceReply create(ConferenceRequest request, List<PoolMember> candidates, String region)
            throws BridgeException {
        MeetingId meetingId = request.meetingId();
        List<PoolMember> ranked = selector.rank(candidates, region);
        List<String> failures = new ArrayList<>();
        for (PoolMember m : ranked) {
            ConferenceReply reply;
            try {
                reply = m.bridge().apply(request);
            } catch (BridgeException.Unavailable e) {
                // The bridge, not the request: try the next. One that timed out may hold the conference
                // anyway; with no endpoint ever connecting, its inactivity timeout expires it.
                failed(m, e);
                failures.add(m.id() + ": " + e.getMessage());
                continue;
            }
            if (m.ifUp(() -> owners.put(meetingId, m))) {
                m.placed(1, createdEndpoints(request));
                if (region == null) {
                    log.debug("bridge pool {}: conference {} on {}", id, meetingId, m.id());
                } else if (region.equals(m.region())) {
                    log.info("bridge pool {}: conference {} on {}, in its region {}", id, meetingId, m.id(), region);
                } else {
                    log.info("bridge pool {}: conference {} on {} of region {}: no bridge of its region {} took it",
                            id, meetingId, m.id(), m.region(), region);
                }
                return reply;
            }
            m.orphan(meetingId); // created there just as it went down: expired when it is back
            failures.add(m.id() + ": went down");
        }
        String why = ranked.isEmpty() ? "no media bridge is up and taking new conferences (each is down, unhealthy, "
                + "draining or shutting down)"
                : "no media bridge took it (" + failures + ")";
        log.warn("bridge pool {}: cannot create conference {}: {}", id, meetingId, why);
        throw new BridgeException.Unavailable("cannot create conference " + meetingId + ": " + why, null);
    }

    /** Expires the conference on the member that holds it; no-op if no member does. */
    @Override
    public void expire(MeetingId meetingId) throws BridgeException {
        PoolMember owner = meetingId == null ? null : owners.remove(meetingId);
        if (owner == null) {
            return;
        }
        try {
            owner.bridge().expire(meetingId);
        } catch (BridgeException.Unavailable e) {
            owner.orphan(meetingId); // expired when the member is back, if it went down
            failed(owner, e);
            throw e;
        }
    }

    /**
     * The pool as a whole, from the members' last checks (no call to any bridge): stress is the average of
     * the members up, counts and traffic are sums, healthy if any member is up, draining if every member up
     * is. Per member: {@link #members()}.
     */
    @Override
    public BridgeStats stats() {
        double stress = 0;
        int up = 0;
        int draining = 0;
        int conferences = 0;
        int endpoints = 0;
        long packetsIn = 0;
        long packetsOut = 0;
        long bytesIn = 0;
        long bytesOut = 0;
        for (PoolMember m : members) {
            BridgeStats s = m.stats();
            boolean isUp = m.isUp();
            if (isUp) {
                up++;
            }
            if (s == null) {
                continue;
            }
            if (isUp) {
                stress += s.stressLevel();
                draining += m.draining() ? 1 : 0;
                conferences += s.conferences();
                endpoints += s.endpoints();
            }
            packetsIn += s.packetsIn();
            packetsOut += s.packetsOut();
            bytesIn += s.bytesIn();
            bytesOut += s.bytesOut();
        }
        return new BridgeStats(up == 0 ? 0 : stress / up, conferences, endpoints, up > 0,
                up > 0 && draining == up, closed.get(), packetsIn, packetsOut, bytesIn, bytesOut);
    }

    /** From the member that holds the conference. */
    @Override
    public ConferenceStats conferenceStats(MeetingId meetingId) throws BridgeException {
        PoolMember owner = meetingId == null ? null : owners.get(meetingId);
        if (owner == null) {
            throw new BridgeException.NotFound("no conference " + meetingId + " on the media bridges");
        }
        try {
            return owner.bridge().conferenceStats(meetingId);
        } catch (BridgeException.Unavailable e) {
            failed(owner, e);
            throw e;
        }
    }

    /** Every member as the pool sees it now, in configuration order. */
    public List<MemberStatus> members() {
        Map<PoolMember, Integer> assigned = new HashMap<>();
        for (PoolMember m : owners.values()) {
            assigned.merge(m, 1, Integer::sum);
        }
        return members.stream().map(m -> m.status(assigned.getOrDefault(m, 0))).toList();
    }

    /** Whether a new conference would find a member now (from the last checks; no call to any bridge). */
    public boolean takesNewConferences() {
        return !closed.get() && !selector.rank(members).isEmpty();
    }

    /**
     * Drains (or undrains) a member: asks the bridge itself ({@link Bridge#drain}, Jitsi Videobridge's
     * {@code POST /colibri/drain/enable|disable}), so that every signaling node sees it at its next check,
     * then marks it here at once.
     *
     * @throws BridgeException.NotFound    for an id that is not a member
     * @throws BridgeException.BadRequest  if the bridge cannot be drained
     * @throws BridgeException.Unavailable if it could not be reached (counted as a failed request)
     */
    public MemberStatus drain(String memberId, boolean enable) throws BridgeException {
        PoolMember m = members.stream().filter(x -> x.id().equals(memberId)).findFirst()
                .orElseThrow(() -> new BridgeException.NotFound("no media bridge " + memberId + " in this pool"));
        try {
            m.bridge().drain(enable);
        } catch (BridgeException.Unavailable e) {
            failed(m, e);
            throw e;
        }
        m.markDraining(enable);
        return members().get(m.index());
    }

    /** The id of the member holding the meeting's conference, if any. */
    public Optional<String> ownerOf(MeetingId meetingId) {
        return Optional.ofNullable(owners.get(meetingId)).map(PoolMember::id);
    }

    /** The member holding the meeting's conference, if any and up: where its audio can be tapped. */
    Optional<Bridge> ownerBridge(MeetingId meetingId) {
        PoolMember owner = meetingId == null ? null : owners.get(meetingId);
        return owner == null || !owner.isUp() ? Optional.empty() : Optional.of(owner.bridge());
    }

    /**
     * Takes over a conference another signaling node placed on member {@code memberId} (that node died; this one
     * now holds the call): later requests for the meeting go to that member, as if this pool had created it. Only
     * if the member is up here and still holds the conference (asked for its stats); false otherwise, when the
     * conference is to be treated as lost, as on failover. A meeting this pool already places stays where it is.
     */
    public boolean adopt(MeetingId meetingId, String memberId) {
        PoolMember m = members.stream().filter(x -> x.id().equals(memberId)).findFirst().orElse(null);
        if (m == null || !m.isUp()) {
            log.info("bridge pool {}: conference {} cannot be adopted: bridge {} is {}", id, meetingId, memberId,
                    m == null ? "not in this pool" : "down");
            return false;
        }
        PoolMember placed = owners.get(meetingId);
        if (placed != null) {
            return placed == m;
        }
        try {
            m.bridge().conferenceStats(meetingId);
        } catch (BridgeException.NotFound e) {
            log.info("bridge pool {}: conference {} is no longer on bridge {}", id, meetingId, memberId);
            return false;
        } catch (BridgeException.Unavailable e) {
            failed(m, e);
            return false;
        } catch (BridgeException e) {
            log.warn("bridge pool {}: asking bridge {} for conference {} failed: {}", id, memberId, meetingId, e.toString());
            return false;
        }
        if (!m.ifUp(() -> owners.putIfAbsent(meetingId, m))) {
            return false;
        }
        log.info("bridge pool {}: adopted conference {} on bridge {}", id, meetingId, memberId);
        return owners.get(meetingId) == m;
    }

    /** One round of checks, on the check thread (tests call it directly). */
    void checkAll() {
        for (PoolMember m : members) {
            if (closed.get()) {
                return;
            }
            try {
                check(m);
            } catch (RuntimeException e) {
                // Never let one bad round cancel the periodic task.
                log.error("bridge pool {}: checking {} failed", id, m.id(), e);
            }
        }
    }

    /** One media-status round, on the media thread (tests call it directly). */
    void checkMedia() {
        MediaWatch watch = mediaWatch;
        if (watch == null || closed.get()) {
            return;
        }
        try {
            List<EndpointMedia> changes = readMedia(watch.watched());
            long round = ++mediaRound;
            if (!changes.isEmpty()) {
                watch.listener().accept(new MediaChanges(round, changes));
            }
        } catch (RuntimeException e) {
            // Never let one bad round cancel the periodic task.
            log.error("bridge pool {}: reading media status failed", id, e);
        }
    }

    private List<EndpointMedia> readMedia(Predicate<MeetingId> watched) {
        Map<PoolMember, List<MeetingId>> asked = new HashMap<>();
        for (Map.Entry<MeetingId, PoolMember> e : owners.entrySet()) {
            PoolMember m = e.getValue();
            if (m.reportsMedia() && m.isUp() && watched.test(e.getKey())) {
                asked.computeIfAbsent(m, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        Map<EndpointKey, MediaFlow> now = new HashMap<>();
        Set<MeetingId> answered = new HashSet<>();
        Set<MeetingId> unanswered = new HashSet<>();
        for (Map.Entry<PoolMember, List<MeetingId>> e : asked.entrySet()) {
            PoolMember m = e.getKey();
            try {
                for (EndpointMedia endpoint : m.bridge().mediaStatus(e.getValue())) {
                    if (endpoint.relay()) {
                        // A relay to another bridge (a spread broadcast's) is no participant: counted as one, its
                        // stopping would read as a participant dropping. Its owner learns of a lost bridge from
                        // the health checks instead.
                        continue;
                    }
                    now.put(new EndpointKey(endpoint.meetingId(), endpoint.endpointId()), endpoint.flow());
                }
                answered.addAll(e.getValue());
            } catch (BridgeException.BadRequest ex) {
                m.noMediaStatus();
                log.info("bridge pool {}: bridge {} does not report media status ({}); a participant who drops is "
                        + "noticed when their connection closes", id, m.id(), ex.getMessage());
            } catch (BridgeException | RuntimeException ex) {
                // Health checks judge the bridge; a round missed here only delays the news.
                unanswered.addAll(e.getValue());
                log.debug("bridge pool {}: media status of bridge {} failed: {}", id, m.id(), ex.toString());
            }
        }
        List<EndpointMedia> changes = new ArrayList<>();
        Map<EndpointKey, MediaFlow> next = new HashMap<>(now);
        for (Map.Entry<EndpointKey, MediaFlow> e : now.entrySet()) {
            if (lastMedia.get(e.getKey()) != e.getValue()) {
                changes.add(new EndpointMedia(e.getKey().meetingId(), e.getKey().endpointId(), e.getValue()));
            }
        }
        for (Map.Entry<EndpointKey, MediaFlow> e : lastMedia.entrySet()) {
            EndpointKey key = e.getKey();
            if (now.containsKey(key)) {
                continue;
            }
            if (answered.contains(key.meetingId())) {
                // Expired by the bridge (ICE failed, inactivity) or by signaling (a replaced leg): its media is gone.
                if (e.getValue() != MediaFlow.STOPPED) {
                    changes.add(new EndpointMedia(key.meetingId(), key.endpointId(), MediaFlow.STOPPED));
                }
            } else if (unanswered.contains(key.meetingId())) {
                next.put(key, e.getValue()); // no news this round
            }
        }
        lastMedia = next;
        return changes;
    }

    private void check(PoolMember m) {
        PoolMember.Pending before = m.pending();
        long drainChanges = m.drainChanges();
        BridgeStats stats;
        try {
            // Stats first: a bridge shutting down fails its health check, and must be told apart from a dead one.
            stats = m.bridge().stats();
            if (stats.shuttingDown()) {
                if (!closed.get()) {
                    shuttingDown(m, stats, drainChanges);
                }
                return;
            }
            m.health().check();
        } catch (BridgeException | RuntimeException e) {
            failedCheck(m, e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        if (!stats.healthy()) {
            String reason = "reports unhealthy";
            if (!closed.get()) {
                noteFailedCheck(m, reason, m.unhealthy(stats, drainChanges, reason, options.downAfter()));
            }
            return;
        }
        if (!m.isUp()) {
            expireOrphans(m);
        }
        if (m.succeeded(stats, before, drainChanges) == PoolMember.Change.CAME_BACK) {
            log.info("bridge pool {}: bridge {} is back (stress {}), taking conferences again", id, m.id(),
                    stats.stressLevel());
        }
    }

    /**
     * The member is about to stop and still serves: down at once, its calls moved as on failover, and their old
     * conferences expired there (best effort) so that it need not wait for them to time out.
     */
    private void shuttingDown(PoolMember m, BridgeStats stats, long drainChanges) {
        if (m.unhealthy(stats, drainChanges, "shutting down", 1) != PoolMember.Change.WENT_DOWN) {
            log.debug("bridge pool {}: bridge {} still shutting down", id, m.id());
            return;
        }
        wentDown(m, "shutting down");
        expireOrphans(m);
    }

    private void failedCheck(PoolMember m, String reason) {
        if (!closed.get()) {
            noteFailedCheck(m, reason, m.failed(reason, options.downAfter()));
        }
    }

    private void noteFailedCheck(PoolMember m, String reason, PoolMember.Change change) {
        if (change == PoolMember.Change.WENT_DOWN) {
            wentDown(m, options.downAfter() + " failed checks, last: " + reason);
        } else if (m.isUp()) {
            log.info("bridge pool {}: bridge {} failed a check: {}", id, m.id(), reason);
        } else {
            log.debug("bridge pool {}: bridge {} still down: {}", id, m.id(), reason);
        }
    }

    /**
     * A request to {@code m} failed: a connection error marks it down at once, anything else counts as one
     * failed check. True if this marked it down.
     */
    private boolean failed(PoolMember m, BridgeException.Unavailable e) {
        if (closed.get()) {
            return false;
        }
        boolean connection = isConnectionFailure(e);
        int threshold = connection ? 1 : options.downAfter();
        if (m.failed(e.getMessage(), threshold) == PoolMember.Change.WENT_DOWN) {
            wentDown(m, (connection ? "connection error: " : "") + e.getMessage());
            return true;
        }
        log.warn("bridge pool {}: request to bridge {} failed: {}", id, m.id(), e.getMessage());
        return false;
    }

    /**
     * Refused, reset, closed, or no connection within the connect timeout: the bridge is not there. A
     * request that timed out on an open connection is a slow bridge, not (yet) a dead one.
     */
    static boolean isConnectionFailure(BridgeException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return true;
            }
            if (t instanceof HttpTimeoutException) {
                return false;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Forgets the member's conferences and tells the listeners. */
    private void wentDown(PoolMember m, String reason) {
        List<MeetingId> lost = new ArrayList<>();
        for (Map.Entry<MeetingId, PoolMember> e : owners.entrySet()) {
            if (e.getValue() == m && owners.remove(e.getKey(), m)) {
                lost.add(e.getKey());
            }
        }
        m.lost(lost);
        log.warn("bridge pool {}: bridge {} is down ({}); {} conference(s) lost", id, m.id(), reason, lost.size());
        if (lost.isEmpty()) {
            return;
        }
        Set<MeetingId> meetings = Set.copyOf(lost);
        for (Consumer<Set<MeetingId>> listener : lostListeners) {
            try {
                listener.accept(meetings);
            } catch (RuntimeException e) {
                log.error("bridge pool {}: a conferences-lost listener failed", id, e);
            }
        }
    }

    /** Before a member that was down takes conferences again: rid it of those it held (best effort). */
    private void expireOrphans(PoolMember m) {
        for (MeetingId meetingId : m.takeOrphans()) {
            try {
                m.bridge().expire(meetingId);
            } catch (BridgeException | RuntimeException e) {
                // It may have expired them itself (inactivity); nothing more to do.
                log.debug("bridge pool {}: expiring lost conference {} on {} failed: {}", id, meetingId, m.id(),
                        e.toString());
            }
        }
    }

    private static int createdEndpoints(ConferenceRequest request) {
        int n = 0;
        for (EndpointRequest e : request.endpoints()) {
            if (e.create()) {
                n++;
            }
        }
        return n;
    }

    /** Stops the checks, then closes every member (remote clients release their threads). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        health.shutdownNow();
        media.shutdownNow();
        try {
            if (!health.awaitTermination(options.stopWait().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("bridge pool {}: a health check was still running at close", id);
            }
            if (!media.awaitTermination(options.stopWait().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("bridge pool {}: a media-status read was still running at close", id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (PoolMember m : members) {
            try {
                m.bridge().close();
            } catch (RuntimeException e) {
                log.warn("bridge pool {}: closing bridge {} failed", id, m.id(), e);
            }
        }
        owners.clear();
    }
}
