package io.livedesk.signaling.media;

import io.livedesk.media.api.MediaFlow;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.protocol.ServerMessage.PeerStatus;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Whether each party of one bridged call (its customer and its staff member) is still with us, from the two
 * signals the node has: their WebSocket (closed: gone at once) and their leg's media on the bridge (stopped: a
 * closed page or a dead network, noticed within seconds even while a dead socket lingers until its idle timeout).
 * Every input answers the party's new status when it changed, for the others to be told.
 *
 * <p>A party who dropped is back when their socket is, and their media flows again on their current leg: on the
 * same leg (the network came back), or on the leg their new page or ICE restart offered. Waiting for that leg to
 * flow needs media reports; a call whose bridge sends none (a Jitsi Videobridge) counts the new leg as back, or
 * a party would never be.
 *
 * <p>Not thread-safe: the negotiator holds this object's monitor around every call.
 */
final class CallConnectivity {
    private CallRecord call;
    private final Map<Subject, Party> parties = new HashMap<>();
    /** A media report about this call arrived: its bridge tells, so a new leg is awaited until it flows. */
    private boolean mediaReported;

    CallConnectivity(CallRecord call) {
        this.call = call;
    }

    /** A party's status changed: what the others are told. */
    record Change(Subject subject, PeerStatus status) {
    }

    private static final class Party {
        boolean away;
        /** The current leg's endpoint, or null before the first offer and after the leg went. */
        String endpointId;
        MediaFlow flow;
        boolean flowed;
        /** The media-check round of the last report applied: reports handed over out of order are dropped. */
        long round = -1;
        PeerStatus told = PeerStatus.CONNECTED;
    }

    /** The call as last read: who its parties are, and who is told. Older revisions are ignored. */
    void record(CallRecord newer) {
        if (newer.revision() >= call.revision()) {
            call = newer;
        }
    }

    CallRecord call() {
        return call;
    }

    /** The party's WebSocket closed. */
    Optional<Change> away(Subject subject) {
        return update(subject, p -> p.away = true);
    }

    /** The party signed in again and was handed the call. */
    Optional<Change> back(Subject subject) {
        return update(subject, p -> p.away = false);
    }

    /** The party's leg is now this endpoint (their first offer, a new page, an ICE restart). */
    Optional<Change> legUp(Subject subject, String endpointId) {
        return update(subject, p -> {
            p.endpointId = endpointId;
            p.flow = null;
            p.flowed = false;
        });
    }

    /** The endpoint was expired or forgotten; a leg that replaced it already said so. */
    Optional<Change> legDown(Subject subject, String endpointId) {
        return update(subject, p -> {
            if (endpointId.equals(p.endpointId)) {
                p.endpointId = null;
                p.flow = null;
                p.flowed = false;
            }
        });
    }

    /** The bridge's media report for one endpoint of this call, from media-check {@code round}. */
    Optional<Change> media(String endpointId, MediaFlow flow, long round) {
        mediaReported = true;
        for (Map.Entry<Subject, Party> e : parties.entrySet()) {
            Party p = e.getValue();
            if (endpointId.equals(p.endpointId)) {
                if (round <= p.round) {
                    return Optional.empty();
                }
                return update(e.getKey(), party -> {
                    party.round = round;
                    party.flow = flow;
                    party.flowed |= flow == MediaFlow.FLOWING;
                });
            }
        }
        return Optional.empty();
    }

    /** Someone no longer in the call (a staff member who handed it over). */
    void forget(Subject subject) {
        parties.remove(subject);
    }

    private Optional<Change> update(Subject subject, Consumer<Party> change) {
        if (!call.isParty(subject)) {
            return Optional.empty(); // supervisors come and go unannounced
        }
        Party p = parties.computeIfAbsent(subject, s -> new Party());
        change.accept(p);
        PeerStatus now = statusOf(p);
        if (now == p.told) {
            return Optional.empty();
        }
        p.told = now;
        return Optional.of(new Change(subject, now));
    }

    private PeerStatus statusOf(Party p) {
        boolean mediaLost = p.flowed && p.flow == MediaFlow.STOPPED;
        boolean awaitingMedia = p.told == PeerStatus.RECONNECTING && mediaReported && !p.flowed;
        return p.away || mediaLost || awaitingMedia ? PeerStatus.RECONNECTING : PeerStatus.CONNECTED;
    }
}
