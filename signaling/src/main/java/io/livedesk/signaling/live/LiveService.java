package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.Queued;
import io.livedesk.signaling.routing.RoutingService;
import io.livedesk.signaling.server.ClientConnection;
import io.livedesk.signaling.server.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Livestreams on one node: the requests of viewers and of the stage (join, chat, likes, moderation, cards,
 * co-hosts, "consult now"), the events every node hears ({@link LiveEvent}), and the periodic work that keeps
 * presence fresh and sends coalesced counts and batched chat.
 *
 * <p>What another node needs is in the stores (records, presence, chat) or goes over the {@link LiveBus} once
 * per event; what goes to viewers leaves each node at most once per interval per broadcast, one frame per
 * viewer, never one per join, like or message. Requests run on worker threads, events on the bus's
 * delivery thread, the periodic work on a timer thread.
 */
public final class LiveService {
    private static final Logger log = LoggerFactory.getLogger(LiveService.class);
    private static final int MAX_LISTED_LIVE = 100;

    private final BroadcastStore broadcasts;
    private final ViewerPresenceStore viewers;
    private final ChatStore chat;
    private final BroadcastChanges changes;
    private final BroadcastMedia media;
    private final LiveBus bus;
    private final RoutingService routing;
    private final PresenceService staff;
    private final MessageRouter router;
    private final MessageCodec codec;
    private final LiveDeskConfig.Live config;
    private final LiveDeskConfig.Routing queues;
    private final LiveMetrics metrics;
    private final Clock clock;
    private final Map<BroadcastId, LiveRoom> rooms = new ConcurrentHashMap<>();
    /** The broadcast each connection here watches (one at a time). */
    private final Map<ClientConnection, BroadcastId> watching = new ConcurrentHashMap<>();
    private final WatchHistory watchHistory;

    public LiveService(BroadcastStore broadcasts, ViewerPresenceStore viewers, ChatStore chat, BroadcastChanges changes,
                       BroadcastMedia media, LiveBus bus, RoutingService routing, PresenceService staff,
                       MessageRouter router, MessageCodec codec, LiveDeskConfig.Live config,
                       LiveDeskConfig.Routing queues, LiveMetrics metrics, WatchHistory watchHistory, Clock clock) {
        this.watchHistory = watchHistory;
        this.broadcasts = broadcasts;
        this.viewers = viewers;
        this.chat = chat;
        this.changes = changes;
        this.media = media;
        this.bus = bus;
        this.routing = routing;
        this.staff = staff;
        this.router = router;
        this.codec = codec;
        this.config = config;
        this.queues = queues;
        this.metrics = metrics;
        this.clock = clock;
        changes.onChange(this::changedHere);
        bus.subscribe(this::onEvent);
    }

    // ---- requests ----

    public ServerMessage.BroadcastJoined join(ClientConnection c, ClientMessage.BroadcastJoin m) {
        Principal p = c.principal();
        // A room here already follows its broadcast's record and chat on the bus: joins read neither again.
        LiveRoom here = rooms.get(m.broadcastId());
        Broadcast b = (here != null ? Optional.of(here.broadcast()) : broadcasts.get(m.broadcastId()))
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no such broadcast"));
        if (b.state() == BroadcastState.ENDED) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the broadcast has ended");
        }
        BroadcastId previous = watching.get(c);
        if (previous != null) {
            leave(c, previous);
        }
        long now = clock.millis();
        boolean stage = b.onStage(p.subject());
        String name = m.name() != null ? m.name() : displayName(p);
        if (!stage && viewers.join(b.id(), p.subject(), name, now) == JoinOutcome.BANNED) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "you were removed from this broadcast");
        }
        boolean muted = !stage && chat.isMuted(b.id(), p.subject());
        LiveMember member = new LiveMember(c, p.subject(), name, stage, now, muted,
                new TokenBucket(config.chatPerSecond(), config.chatBurst(), System.nanoTime()), config.likesPerSecond());
        // Added inside the map's compute, so a last member leaving at the same time cannot drop the room under us.
        LiveRoom room = rooms.compute(b.id(), (id, r) -> {
            LiveRoom joined = r != null ? r : new LiveRoom(b);
            joined.update(b);
            joined.add(member);
            return joined;
        });
        watching.put(c, b.id());
        metrics.joined(b.id());
        if (!stage && p.identified()) {
            // Their journey: the staff member they may consult later sees what they watched.
            watchHistory.watched(p.subject(), b.id(), now).exceptionally(e -> {
                log.warn("a broadcast watched was not kept in the viewer's history: {}", e.toString());
                return null;
            });
        }
        Broadcast current = room.broadcast();
        List<ChatMessage> recent = room.recentChat().orElseGet(() -> room.loadHistory(chat.recent(b.id())));
        List<ServerMessage.ChatView> history = recent.stream().map(msg -> view(msg, stage)).toList();
        LiveRoom.Counted counted = room.lastCounted()
                .orElseGet(() -> new LiveRoom.Counted(viewers.count(b.id(), now, ttl()), current.counts().likes()));
        return new ServerMessage.BroadcastJoined(m.id(), room.view(this::view), counted.viewers(),
                counted.likes(), current.cards().pinned().orElse(null), history, stage, muted,
                config.heartbeatInterval().toMillis());
    }

    public ServerMessage.Ack leave(ClientConnection c, ClientMessage.BroadcastLeave m) {
        if (!m.broadcastId().equals(watching.get(c))) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "you are not watching this broadcast");
        }
        leave(c, m.broadcastId());
        return new ServerMessage.Ack(m.id());
    }

    /** The connection closed: whatever it watched, it left. */
    public void closed(ClientConnection c) {
        BroadcastId id = watching.get(c);
        if (id != null) {
            leave(c, id);
        }
    }

    private void leave(ClientConnection c, BroadcastId id) {
        watching.remove(c, id);
        LiveRoom room = rooms.get(id);
        if (room == null) {
            return;
        }
        Optional<LiveMember> gone = room.remove(c);
        rooms.computeIfPresent(id, (k, r) -> r.isEmpty() ? null : r);
        gone.ifPresent(member -> {
            if (!member.stage) {
                viewers.leave(id, member.subject, clock.millis());
            }
            metrics.left(id);
            media.left(room.broadcast(), member.subject);
        });
    }

    public ServerMessage.Ack signal(ClientConnection c, ClientMessage.BroadcastSignal m) {
        LiveRoom room = roomOf(c, m.broadcastId());
        Broadcast b = room.broadcast();
        if (b.state() != BroadcastState.LIVE) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the broadcast is not live");
        }
        media.offer(b, c.principal().subject(), m.sdp(), m.id());
        return new ServerMessage.Ack(m.id());
    }

    /** Where the page shows video at: only a member of the broadcast's room may tell. */
    public ServerMessage.Ack view(ClientConnection c, ClientMessage.BroadcastView m) {
        LiveRoom room = roomOf(c, m.broadcastId());
        room.member(c).orElseThrow(LiveService::notWatching);
        media.view(room.broadcast(), c.principal().subject(), m.maxHeight());
        return new ServerMessage.Ack(m.id());
    }

    public ServerMessage.Ack chat(ClientConnection c, ClientMessage.ChatSend m) {
        LiveRoom room = roomOf(c, m.broadcastId());
        LiveMember member = room.member(c).orElseThrow(LiveService::notWatching);
        if (!member.mayChat(System.nanoTime())) {
            metrics.chatRefused(m.broadcastId());
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "at most " + config.chatPerSecond()
                    + " chat message(s) a second; this one was dropped");
        }
        if (member.muted) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "you are muted in this broadcast's chat");
        }
        if (room.broadcast().state() == BroadcastState.ENDED) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the broadcast has ended");
        }
        ChatMessage kept = chat.append(m.broadcastId(),
                new ChatMessage("m-0", member.subject, member.name, m.text(), member.stage, clock.millis()));
        room.chatCounted();
        metrics.chatMessage(m.broadcastId());
        bus.publish(new LiveEvent.ChatPosted(m.broadcastId(), kept));
        return new ServerMessage.Ack(m.id());
    }

    public ServerMessage.Ack like(ClientConnection c, ClientMessage.BroadcastLike m) {
        LiveRoom room = roomOf(c, m.broadcastId());
        LiveMember member = room.member(c).orElseThrow(LiveService::notWatching);
        if (member.likeCounts(clock.millis())) {
            room.liked();
        }
        return new ServerMessage.Ack(m.id());
    }

    /**
     * "Consult now": a request in the card's or the broadcast's queue, with where it came from. Completes as
     * {@link RoutingService#create} does.
     */
    public CompletionStage<Queued> consult(ClientConnection c, ClientMessage.BroadcastConsult m) {
        LiveRoom room = roomOf(c, m.broadcastId());
        LiveMember member = room.member(c).orElseThrow(LiveService::notWatching);
        Broadcast b = room.broadcast();
        if (b.state() != BroadcastState.LIVE) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "consultations open while the broadcast is live");
        }
        ProductCard card = null;
        if (m.cardId() != null) {
            card = b.cards().find(m.cardId())
                    .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no such card in this broadcast"));
        }
        String name = m.name() != null ? m.name() : c.principal().name();
        if (name == null || name.isBlank()) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "name is required: tell the staff member who you are");
        }
        long now = clock.millis();
        BroadcastOrigin origin = new BroadcastOrigin(b.id(), b.title(), card, Math.max(0, now - member.joinedAtMs));
        String topic = card != null ? card.topicOr(b.topic()) : b.topic();
        return routing.consult(m.id(), c.principal(), name, topic, b.language(), origin).thenApply(queued -> {
            broadcasts.addCounts(b.id(), BroadcastCounts.consultationRequested());
            metrics.consultation(b.id(), "requested");
            return queued;
        });
    }

    /** A staff member took a request that came from a broadcast. */
    public void consultationAnswered(BroadcastOrigin origin) {
        broadcasts.addCounts(origin.broadcastId(), BroadcastCounts.consultationAnswered());
        metrics.consultation(origin.broadcastId(), "answered");
    }

    public ServerMessage.BroadcastViewersPage viewers(ClientConnection c, ClientMessage.BroadcastViewers m) {
        Broadcast b = moderated(c, m.broadcastId());
        long now = clock.millis();
        List<ServerMessage.ViewerView> page = new ArrayList<>();
        for (ViewerPresence v : viewers.page(b.id(), m.offset(), m.limit(), now, ttl())) {
            page.add(new ServerMessage.ViewerView(v.viewer(), v.displayName(), v.joinedAtMs(),
                    chat.isMuted(b.id(), v.viewer())));
        }
        return new ServerMessage.BroadcastViewersPage(m.id(), b.id(), viewers.count(b.id(), now, ttl()), m.offset(), page);
    }

    public ServerMessage.Ack deleteChat(ClientConnection c, ClientMessage.ChatDelete m) {
        moderated(c, m.broadcastId());
        if (!chat.delete(m.broadcastId(), m.messageId())) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no such message in this broadcast's chat");
        }
        bus.publish(new LiveEvent.ChatDeleted(m.broadcastId(), m.messageId()));
        return new ServerMessage.Ack(m.id());
    }

    public ServerMessage.Ack mute(ClientConnection c, ClientMessage.ViewerMute m) {
        Broadcast b = moderated(c, m.broadcastId());
        refuseStage(b, m.viewerId());
        if (chat.mute(b.id(), m.viewerId(), m.muted())) {
            bus.publish(new LiveEvent.ViewerMuted(b.id(), m.viewerId(), m.muted()));
        }
        return new ServerMessage.Ack(m.id());
    }

    public ServerMessage.Ack remove(ClientConnection c, ClientMessage.ViewerRemove m) {
        Broadcast b = moderated(c, m.broadcastId());
        refuseStage(b, m.viewerId());
        viewers.ban(b.id(), m.viewerId(), clock.millis());
        bus.publish(new LiveEvent.ViewerRemoved(b.id(), m.viewerId()));
        media.left(b, m.viewerId());
        return new ServerMessage.Ack(m.id());
    }

    public ServerMessage.Ack pin(ClientConnection c, ClientMessage.CardPin m) {
        String topic = m.card().topic();
        if (topic != null && !queues.hasTopic(topic)) {
            throw new ProtocolException(ErrorCode.UNKNOWN_TOPIC, "no such topic: " + topic);
        }
        changes.apply(m.broadcastId(), b -> mayModerate(c.principal(), b),
                b -> b.withPinned(m.card().numbered(b.cards().nextId())), "pinned a card");
        return new ServerMessage.Ack(m.id());
    }

    public ServerMessage.Ack unpin(ClientConnection c, ClientMessage.CardUnpin m) {
        changes.apply(m.broadcastId(), b -> mayModerate(c.principal(), b), Broadcast::withoutPinned, "unpinned the card");
        return new ServerMessage.Ack(m.id());
    }

    public ServerMessage.Ack stageAdd(ClientConnection c, ClientMessage.StageAdd m) {
        Subject host = c.principal().subject();
        if (staff.get(m.staffId()).filter(s -> s.connected()).isEmpty()) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no such staff member signed in");
        }
        Broadcast b = changes.apply(m.broadcastId(), x -> x.host().equals(host), x -> x.withCoHost(m.staffId()),
                "a co-host came on stage");
        router.send(m.staffId(), new ServerMessage.BroadcastOnStage(b.id(), b.title(), true));
        return new ServerMessage.Ack(m.id());
    }

    public ServerMessage.Ack stageRemove(ClientConnection c, ClientMessage.StageRemove m) {
        Subject host = c.principal().subject();
        offStage(m.broadcastId(), m.staffId(), x -> x.host().equals(host));
        return new ServerMessage.Ack(m.id());
    }

    public ServerMessage.Ack stageLeave(ClientConnection c, ClientMessage.StageLeave m) {
        Subject self = c.principal().subject();
        offStage(m.broadcastId(), self, x -> x.coHosts().contains(self));
        return new ServerMessage.Ack(m.id());
    }

    private void offStage(BroadcastId id, Subject coHost, Predicate<Broadcast> allowed) {
        Broadcast b = changes.apply(id, allowed, x -> x.withoutCoHost(coHost), "a co-host left the stage");
        media.left(b, coHost);
        router.send(coHost, new ServerMessage.BroadcastOnStage(b.id(), b.title(), false));
    }

    // ---- events from every node ----

    /** A change made through this node landed: every node hears of it; the media goes with an end here. */
    private void changedHere(Broadcast b) {
        bus.publish(new LiveEvent.BroadcastChanged(b.id(), b));
        if (b.state() == BroadcastState.ENDED) {
            media.ended(b);
        }
    }

    void onEvent(LiveEvent event) {
        LiveRoom room = rooms.get(event.broadcastId());
        if (room == null) {
            return; // no one here watches it
        }
        if (event instanceof LiveEvent.ChatPosted e) {
            room.chatPosted(e.message());
        } else if (event instanceof LiveEvent.ChatDeleted e) {
            room.chatDeleted(e.messageId());
        } else if (event instanceof LiveEvent.ViewerMuted e) {
            room.memberBySubject(e.viewer()).ifPresent(m -> {
                m.muted = e.muted();
                m.connection.send(new ServerMessage.ChatMuted(e.broadcastId(), e.muted()));
            });
        } else if (event instanceof LiveEvent.ViewerRemoved e) {
            room.memberBySubject(e.viewer()).ifPresent(m -> {
                room.remove(m.connection);
                watching.remove(m.connection, e.broadcastId());
                metrics.left(e.broadcastId());
                m.connection.send(new ServerMessage.BroadcastRemoved(e.broadcastId()));
            });
        } else if (event instanceof LiveEvent.BroadcastChanged e) {
            changed(room, e.broadcast());
        }
    }

    private void changed(LiveRoom room, Broadcast next) {
        Optional<Broadcast> replaced = room.update(next);
        if (replaced.isEmpty()) {
            return;
        }
        Broadcast before = replaced.get();
        for (LiveMember m : room.members()) {
            if (m.stage && !next.onStage(m.subject)) {
                // Taken off stage: out of the room as a stage member; their page joins again as a viewer.
                room.remove(m.connection);
                watching.remove(m.connection, next.id());
                metrics.left(next.id());
            }
        }
        List<LiveMember> members = room.members();
        List<String> frames = new ArrayList<>(2);
        if (!Objects.equals(before.cards().pinned(), next.cards().pinned())) {
            frames.add(codec.write(new ServerMessage.BroadcastCard(next.id(), next.cards().pinned().orElse(null))));
        }
        if (before.state() != next.state() || !before.coHosts().equals(next.coHosts())) {
            frames.add(codec.write(new ServerMessage.BroadcastStateChanged(next.id(), next.state().wire(), stage(next))));
        }
        if (!frames.isEmpty()) {
            LiveRoom.send(members, m -> frames);
        }
        if (next.state() == BroadcastState.ENDED) {
            long now = clock.millis();
            for (LiveMember m : members) {
                room.remove(m.connection);
                watching.remove(m.connection, next.id());
                if (!m.stage) {
                    viewers.leave(next.id(), m.subject, now);
                }
            }
            rooms.remove(next.id(), room);
            metrics.ended(next.id());
        }
    }

    // ---- periodic work ----

    /**
     * Sends what collected since the last flush, chat and the count together: one write per connection per
     * broadcast, however many messages and counts it holds.
     */
    public void flush() {
        for (LiveRoom room : rooms.values()) {
            LiveRoom.Pending p = room.takePending();
            if (p == null) {
                continue;
            }
            List<String> forViewers = new ArrayList<>(2);
            List<String> forStage = new ArrayList<>(2);
            if (p.hasChat()) {
                forViewers.add(codec.write(new ServerMessage.ChatBatch(room.id,
                        p.messages().stream().map(msg -> view(msg, false)).toList(), p.deleted())));
                forStage.add(codec.write(new ServerMessage.ChatBatch(room.id,
                        p.messages().stream().map(msg -> view(msg, true)).toList(), p.deleted())));
            }
            if (p.stats() != null) {
                forViewers.add(p.stats());
                forStage.add(p.stats());
            }
            LiveRoom.send(p.to(), m -> m.stage ? forStage : forViewers);
        }
    }

    /**
     * Counts what was liked and written here, reads the count and likes from the stores, and, when they changed,
     * has the next flush tell everyone here: a couple of store calls per broadcast per node, whatever the audience.
     */
    public void countStats() {
        long now = clock.millis();
        for (LiveRoom room : rooms.values()) {
            try {
                long[] uncounted = room.takeUncounted();
                if (uncounted[0] > 0 || uncounted[1] > 0) {
                    broadcasts.addCounts(room.id, new BroadcastCounts(0, uncounted[1], uncounted[0], 0, 0));
                }
                long count = viewers.count(room.id, now, ttl());
                long likes = broadcasts.get(room.id).map(b -> b.counts().likes()).orElse(0L);
                broadcasts.notePeak(room.id, (int) Math.min(Integer.MAX_VALUE, count));
                metrics.viewers(room.id, count);
                if (room.statsChanged(count, likes)) {
                    room.statsToSend(codec.write(new ServerMessage.BroadcastStats(room.id, count, likes)));
                }
            } catch (RuntimeException e) {
                log.warn("broadcast {}: stats not counted this time: {}", room.id, e.toString());
            }
        }
    }

    /**
     * Refreshes the presence of every viewer here (one store call per broadcast), joins again any the store
     * lost, and expires viewers of live broadcasts whose node stopped refreshing them.
     */
    public void refreshPresence() {
        long now = clock.millis();
        for (LiveRoom room : rooms.values()) {
            try {
                List<Subject> lost = viewers.heartbeatAll(room.id, room.viewers(), now);
                for (Subject s : lost) {
                    room.memberBySubject(s).ifPresent(m -> viewers.join(room.id, s, m.name, now));
                }
                broadcasts.noteUnique(room.id, viewers.uniqueViewers(room.id));
            } catch (RuntimeException e) {
                log.warn("broadcast {}: presence not refreshed this time: {}", room.id, e.toString());
            }
        }
        for (Broadcast b : broadcasts.list(EnumSet.of(BroadcastState.LIVE), MAX_LISTED_LIVE)) {
            List<ViewerPresence> gone;
            do {
                gone = viewers.expire(b.id(), now - ttl(), ViewerLimits.MAX_EXPIRE_BATCH);
                gone.forEach(v -> metrics.left(b.id()));
            } while (gone.size() == ViewerLimits.MAX_EXPIRE_BATCH);
        }
    }

    // ---- helpers ----

    private long ttl() {
        return config.viewerTtl().toMillis();
    }

    private LiveRoom roomOf(ClientConnection c, BroadcastId id) {
        if (!id.equals(watching.get(c))) {
            throw notWatching();
        }
        LiveRoom room = rooms.get(id);
        if (room == null) {
            throw notWatching();
        }
        return room;
    }

    private static ProtocolException notWatching() {
        return new ProtocolException(ErrorCode.INVALID_STATE, "join the broadcast first");
    }

    /** The broadcast, if the caller may moderate it: its stage, or a supervisor. */
    private Broadcast moderated(ClientConnection c, BroadcastId id) {
        Broadcast b = broadcasts.get(id).orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no such broadcast"));
        if (!mayModerate(c.principal(), b)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "only the broadcast's stage or a supervisor may do this");
        }
        return b;
    }

    private static boolean mayModerate(Principal p, Broadcast b) {
        return p.role() == Role.SUPERVISOR || b.onStage(p.subject());
    }

    private static void refuseStage(Broadcast b, Subject target) {
        if (b.onStage(target)) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the stage cannot be muted or removed");
        }
    }

    private static String displayName(Principal p) {
        return p.name() == null || p.name().isBlank() ? "Viewer" : p.name();
    }

    private ServerMessage.BroadcastView view(Broadcast b) {
        return new ServerMessage.BroadcastView(b.id(), b.title(), b.description(), b.language(), b.topic(),
                time(b.scheduledAtMs()), b.coverImageUrl(), b.state().wire(), time(b.startedAtMs()), stage(b));
    }

    private List<ServerMessage.StageView> stage(Broadcast b) {
        List<ServerMessage.StageView> out = new ArrayList<>();
        out.add(new ServerMessage.StageView(nameOf(b.host()), "host"));
        for (Subject co : b.coHosts()) {
            out.add(new ServerMessage.StageView(nameOf(co), "cohost"));
        }
        return out;
    }

    private String nameOf(Subject staffId) {
        return staff.get(staffId).map(s -> s.profile().name()).orElse(staffId.value());
    }

    private static ServerMessage.ChatView view(ChatMessage m, boolean forStage) {
        return new ServerMessage.ChatView(m.messageId(), m.name(), m.text(), m.atMs(), forStage ? m.from() : null,
                m.fromStage() ? Boolean.TRUE : null);
    }

    private static String time(long ms) {
        return ms == 0 ? null : Instant.ofEpochMilli(ms).toString();
    }
}
