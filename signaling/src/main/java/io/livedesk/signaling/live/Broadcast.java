package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.ClientMessage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Everything kept about one livestream broadcast: what it is, its state, who is on stage, and its record
 * (the counters). Times are epoch milliseconds, 0 when not reached.
 *
 * <p>State changes go through {@link BroadcastState}, and co-hosts join and leave the stage while it is
 * live; every such change makes a new record with {@code revision + 1}, which is what
 * {@link BroadcastStore#compareAndSet} compares, so two changes made at once cannot both land. The
 * counters are not part of that: they change many times a second (chat, likes, viewers) and are updated
 * in place by the store without a revision, so that they never make a state change fail.
 *
 * @param topic         the routing topic a viewer's consultation is queued under
 * @param coverImageUrl an http or https image address, or null
 * @param coHosts       co-hosts on stage now, in order of joining; none unless live
 * @param peakViewers   the most viewers watching at once
 * @param uniqueViewers how many different viewers watched
 * @param cards         the product cards the stage pinned, and the one pinned now
 * @param mediaNode     the signaling node that holds the broadcast's media state (its bridge legs) while it is
 *                      live: the node that took it live; null before
 */
public record Broadcast(BroadcastId id, Subject host, String title, String description, String language, String topic,
                        long scheduledAtMs, String coverImageUrl, BroadcastState state, List<Subject> coHosts,
                        long startedAtMs, long endedAtMs, int peakViewers, long uniqueViewers, BroadcastCounts counts,
                        int revision, ProductCards cards, String mediaNode) {

    public static final int MAX_TITLE = 120;
    public static final int MAX_DESCRIPTION = 2000;
    /** The stage's size besides the host: each co-host is one more video every viewer receives. */
    public static final int MAX_CO_HOSTS = 3;
    public static final int MAX_URL = WebLinks.MAX_URL;

    public Broadcast {
        require(id, "id");
        require(host, "host");
        require(state, "state");
        checkTitle(title);
        description = description == null ? "" : description;
        if (description.codePointCount(0, description.length()) > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("description must be at most " + MAX_DESCRIPTION + " characters");
        }
        checkWord(language, "language");
        checkWord(topic, "topic");
        if (scheduledAtMs <= 0) {
            throw new IllegalArgumentException("scheduledAtMs must be a time (epoch milliseconds)");
        }
        WebLinks.check(coverImageUrl, "coverImageUrl");
        coHosts = coHosts == null ? List.of() : List.copyOf(coHosts);
        checkStage(host, state, coHosts);
        checkTimes(state, startedAtMs, endedAtMs);
        if (peakViewers < 0 || uniqueViewers < 0 || revision < 0) {
            throw new IllegalArgumentException("peakViewers, uniqueViewers and revision cannot be negative");
        }
        counts = counts == null ? BroadcastCounts.NONE : counts;
        cards = cards == null ? ProductCards.NONE : cards;
    }

    /** A new broadcast, announced for a time; it has no record yet. */
    public static Broadcast scheduled(BroadcastId id, Subject host, String title, String description, String language,
                                      String topic, long scheduledAtMs, String coverImageUrl) {
        return new Broadcast(id, host, title, description, language, topic, scheduledAtMs, coverImageUrl,
                BroadcastState.SCHEDULED, List.of(), 0, 0, 0, 0, BroadcastCounts.NONE, 0, ProductCards.NONE, null);
    }

    /** Ended without ever going live. */
    public boolean cancelled() {
        return state == BroadcastState.ENDED && startedAtMs == 0;
    }

    /** The host or a co-host on stage now. */
    public boolean onStage(Subject subject) {
        return host.equals(subject) || coHosts.contains(subject);
    }

    /** @param mediaNode the node taking it live, which will hold its media state */
    public Broadcast wentLive(long nowMs, String mediaNode) {
        to(BroadcastState.LIVE);
        if (mediaNode == null || mediaNode.isBlank()) {
            throw new IllegalArgumentException("mediaNode is required");
        }
        return new Broadcast(id, host, title, description, language, topic, scheduledAtMs, coverImageUrl,
                BroadcastState.LIVE, coHosts, nowMs, 0, peakViewers, uniqueViewers, counts, revision + 1, cards, mediaNode);
    }

    /** The stage pins a new card (numbered by {@link ProductCards#nextId()}). */
    public Broadcast withPinned(ProductCard card) {
        requireLive("pin a card in");
        return withCards(cards.pin(card));
    }

    /** The stage takes the pinned card off screen. */
    public Broadcast withoutPinned() {
        requireLive("unpin a card in");
        return withCards(cards.unpinned());
    }

    private Broadcast withCards(ProductCards next) {
        return new Broadcast(id, host, title, description, language, topic, scheduledAtMs, coverImageUrl, state,
                coHosts, startedAtMs, endedAtMs, peakViewers, uniqueViewers, counts, revision + 1, next, mediaNode);
    }

    /** Ends a live broadcast, or cancels a scheduled one; the stage empties. */
    public Broadcast ended(long nowMs) {
        to(BroadcastState.ENDED);
        return changed(BroadcastState.ENDED, List.of(), startedAtMs, nowMs);
    }

    /** A co-host steps on stage. */
    public Broadcast withCoHost(Subject coHost) {
        requireLive("join the stage of");
        if (onStage(coHost)) {
            throw new IllegalStateException(coHost + " is already on stage");
        }
        if (coHosts.size() >= MAX_CO_HOSTS) {
            throw new IllegalStateException("the stage is full (" + MAX_CO_HOSTS + " co-hosts)");
        }
        List<Subject> next = new ArrayList<>(coHosts);
        next.add(coHost);
        return changed(state, next, startedAtMs, endedAtMs);
    }

    /** A co-host leaves the stage. */
    public Broadcast withoutCoHost(Subject coHost) {
        requireLive("leave the stage of");
        List<Subject> next = new ArrayList<>(coHosts);
        if (!next.remove(coHost)) {
            throw new IllegalStateException(coHost + " is not a co-host on stage");
        }
        return changed(state, next, startedAtMs, endedAtMs);
    }

    /**
     * The same record with the store's current counters. Not a change of the broadcast, so the revision
     * stays: only stores use it, to put their counters into the records they return and keep.
     */
    Broadcast withCounters(int peak, long unique, BroadcastCounts totals) {
        return new Broadcast(id, host, title, description, language, topic, scheduledAtMs, coverImageUrl, state,
                coHosts, startedAtMs, endedAtMs, peak, unique, totals, revision, cards, mediaNode);
    }

    private void to(BroadcastState target) {
        if (!state.canMoveTo(target)) {
            throw new IllegalStateException("broadcast cannot go from " + state + " to " + target);
        }
    }

    private void requireLive(String change) {
        if (state != BroadcastState.LIVE) {
            throw new IllegalStateException("cannot " + change + " a broadcast that is " + state);
        }
    }

    private Broadcast changed(BroadcastState newState, List<Subject> stage, long started, long ended) {
        return new Broadcast(id, host, title, description, language, topic, scheduledAtMs, coverImageUrl, newState,
                stage, started, ended, peakViewers, uniqueViewers, counts, revision + 1,
                newState == BroadcastState.LIVE ? cards : cards.unpinned(), mediaNode);
    }

    // ---- validation ----

    private static void require(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    private static void checkTitle(String title) {
        require(title, "title");
        int length = title.codePointCount(0, title.length());
        if (title.isBlank() || length > MAX_TITLE) {
            throw new IllegalArgumentException("title must be 1-" + MAX_TITLE + " characters, not all blank");
        }
        // A title is one line wherever it is shown (lists, page titles, notifications).
        if (title.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("title cannot contain line breaks or control characters");
        }
    }

    private static void checkWord(String value, String field) {
        require(value, field);
        if (!ClientMessage.WORD.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-32 characters of a-z, 0-9, _ and -");
        }
    }

    private static void checkStage(Subject host, BroadcastState state, List<Subject> coHosts) {
        if (coHosts.size() > MAX_CO_HOSTS) {
            throw new IllegalArgumentException("at most " + MAX_CO_HOSTS + " co-hosts can be on stage");
        }
        if (!coHosts.isEmpty() && state != BroadcastState.LIVE) {
            throw new IllegalArgumentException("co-hosts are on stage only while the broadcast is live");
        }
        if (coHosts.contains(host) || new HashSet<>(coHosts).size() < coHosts.size()) {
            throw new IllegalArgumentException("each co-host is on stage once, and the host is not a co-host");
        }
    }

    private static void checkTimes(BroadcastState state, long startedAtMs, long endedAtMs) {
        boolean consistent = switch (state) {
            case SCHEDULED -> startedAtMs == 0 && endedAtMs == 0;
            case LIVE -> startedAtMs > 0 && endedAtMs == 0;
            case ENDED -> endedAtMs > 0 && startedAtMs >= 0 && endedAtMs >= startedAtMs;
        };
        if (!consistent) {
            throw new IllegalArgumentException("startedAtMs " + startedAtMs + " and endedAtMs " + endedAtMs
                    + " do not fit a broadcast that is " + state);
        }
    }
}
