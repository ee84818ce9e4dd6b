package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.sdp.ForwardedTrack;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.live.Broadcast;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.live.BroadcastMedia;
import io.livedesk.signaling.live.BroadcastState;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Livestream media through the bridge, on the broadcast's media node: one conference per broadcast
 * ({@link BroadcastMeetings}), one leg per browser. The stage's legs (host, co-hosts) send their tracks and
 * receive each other's; every viewer's leg receives the stage's tracks, host first then co-hosts in the order
 * they came on stage, and sends nothing: its endpoint declares no sources (the bridge drops whatever it sends)
 * and its sections are answered sendonly or inactive. Reading offers, connecting endpoints and building
 * answers is {@link BridgeLegs}, as for calls.
 *
 * <p>When the stage's tracks change (a stage member offers new ones, comes on stage or leaves) every leg that
 * should now receive other tracks is sent {@code broadcast.renegotiate}; a viewer's own offer changes nothing
 * for anyone else. Viewer legs are counted per broadcast, and where a new one goes (or whether it is refused
 * with {@code broadcast_full}) is the {@link ViewerPlacement}'s decision; a viewer counts from its first
 * answered offer until {@link #left} or {@link #ended}.
 *
 * <p>This class assumes it runs on {@link Broadcast#mediaNode()}; {@link ClusterBroadcastMedia} hands it the
 * work that arrives elsewhere. Runs on worker threads; the bridge calls of one broadcast are serialised.
 */
public final class BridgeBroadcastMedia implements BroadcastMedia {
    private static final int RECENTLY_ENDED_KEPT = 10_000;

    private final BridgeLegs core;
    private final MessageRouter router;
    private final ViewerPlacement placement;
    private final Map<BroadcastId, Live> broadcasts = new ConcurrentHashMap<>();
    /** An offer that read its broadcast as live just before the end must not build the conference again. */
    private final RecentlyEnded<BroadcastId> recentlyEnded = new RecentlyEnded<>(RECENTLY_ENDED_KEPT);

    public BridgeBroadcastMedia(Bridge bridge, MessageRouter router, ViewerPlacement placement) {
        this.core = new BridgeLegs(bridge);
        this.router = router;
        this.placement = placement;
    }

    /** One live broadcast's legs and its stage as last seen. Guarded by {@code meeting}'s lock. */
    private static final class Live {
        final BridgeLegs.Meeting meeting;
        /** Host first, then co-hosts in order of coming on stage: the order every leg receives their tracks in. */
        List<Subject> stage = List.of();
        private int revision = -1;

        Live(BroadcastId id) {
            MeetingId meetingId = BroadcastMeetings.meetingOf(id);
            this.meeting = new BridgeLegs.Meeting(meetingId, "live " + id);
        }

        /** Takes the stage of {@code broadcast} unless a newer record was seen (handed-off work may be late). */
        void seen(Broadcast broadcast) {
            if (broadcast.revision() >= revision) {
                List<Subject> order = new ArrayList<>();
                order.add(broadcast.host());
                order.addAll(broadcast.coHosts());
                stage = List.copyOf(order);
                revision = broadcast.revision();
            }
        }

        int viewers() {
            return (int) meeting.legs.values().stream().filter(l -> l.mode == BridgeLegs.Mode.VIEWER).count();
        }
    }

    @Override
    public void offer(Broadcast broadcast, Subject from, ClientMessage.Sdp sdp, String requestId) {
        if (broadcast.state() != BroadcastState.LIVE) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the broadcast is not live");
        }
        BridgeLegs.Offer offer = core.read(sdp);
        BroadcastId id = broadcast.id();
        Live live = broadcasts.computeIfAbsent(id, Live::new);
        synchronized (live.meeting) {
            if (live.meeting.ended || recentlyEnded.contains(id)) {
                broadcasts.remove(id, live);
                throw new ProtocolException(ErrorCode.INVALID_STATE, "the broadcast has ended");
            }
            live.seen(broadcast);
            boolean onStage = broadcast.onStage(from);
            BridgeLegs.Leg before = live.meeting.legs.get(from);
            boolean wasOnStage = before != null && before.mode == BridgeLegs.Mode.PARTICIPANT;
            if (!onStage && (before == null || wasOnStage)) {
                place(live, id);
            }
            BridgeLegs.Leg leg = core.legFor(live.meeting, from, offer,
                    onStage ? BridgeLegs.Mode.PARTICIPANT : BridgeLegs.Mode.VIEWER,
                    () -> live.meeting.nextEndpointId(label(broadcast, from), from.equals(broadcast.host())),
                    BridgeLegs.Events.NONE, null);
            BridgeLegs.Answer answer = core.answer(leg, offer, tracksFor(live, leg));
            router.send(from, new ServerMessage.BroadcastSignal(id, new ClientMessage.Sdp("answer", answer.sdp())));
            if (answer.missesTracks()) {
                // Too few sections for the stage's tracks: ask for another offer, with more.
                router.send(from, new ServerMessage.BroadcastRenegotiate(id, BridgeLegs.slots(answer.incoming())));
            }
            if (onStage || wasOnStage) {
                renegotiateOthers(id, live, leg);
            }
        }
    }

    /** A new viewer leg needs a carrier with room (today: the broadcast's one conference). */
    private void place(Live live, BroadcastId id) {
        ViewerPlacement.Carrier only = new ViewerPlacement.Carrier(live.meeting.meetingId, live.viewers());
        ViewerPlacement.Carrier chosen = placement.place(id, List.of(only)).orElseThrow(() -> new ProtocolException(
                ErrorCode.BROADCAST_FULL, "the broadcast's bridges take no more viewers; retry later"));
        if (!chosen.meetingId().equals(only.meetingId())) {
            throw new IllegalStateException("viewer placement chose " + chosen + ", which does not carry " + id);
        }
    }

    /** The first part of a leg's endpoint id, for the bridge's logs and statistics. */
    private static String label(Broadcast broadcast, Subject subject) {
        if (subject.equals(broadcast.host())) {
            return "host";
        }
        return broadcast.onStage(subject) ? "cohost" : "viewer";
    }

    /** The subject's leg goes; if it was on stage, everyone who received its tracks offers again without them. */
    @Override
    public void left(Broadcast broadcast, Subject subject) {
        Live live = broadcasts.get(broadcast.id());
        if (live == null) {
            return;
        }
        synchronized (live.meeting) {
            if (live.meeting.ended) {
                return;
            }
            live.seen(broadcast);
            BridgeLegs.Leg leg = core.drop(live.meeting, subject, BridgeLegs.Events.NONE);
            if (leg != null && leg.mode == BridgeLegs.Mode.PARTICIPANT) {
                renegotiateOthers(broadcast.id(), live, leg);
            }
        }
    }

    @Override
    public void view(Broadcast broadcast, Subject subject, int maxHeight) {
        Live live = broadcasts.get(broadcast.id());
        if (live == null) {
            return;
        }
        synchronized (live.meeting) {
            BridgeLegs.Leg leg = live.meeting.legs.get(subject);
            if (!live.meeting.ended && leg != null) {
                core.view(live.meeting, leg, maxHeight);
            }
        }
    }

    @Override
    public void ended(Broadcast broadcast) {
        recentlyEnded.add(broadcast.id()); // before the state goes, so a late offer cannot slip between
        core.end(BroadcastMeetings.meetingOf(broadcast.id()), meetingOf(broadcasts.remove(broadcast.id())),
                BridgeLegs.Events.NONE);
    }

    private static BridgeLegs.Meeting meetingOf(Live live) {
        return live == null ? null : live.meeting;
    }

    private void renegotiateOthers(BroadcastId id, Live live, BridgeLegs.Leg changed) {
        List<ForwardedTrack> stageTracks = tracksFor(live, null);
        BridgeLegs.renegotiateOthers(live.meeting, changed,
                other -> other.mode == BridgeLegs.Mode.VIEWER ? stageTracks : tracksFor(live, other),
                (other, slots) -> router.send(other.subject, new ServerMessage.BroadcastRenegotiate(id, slots)));
    }

    /** The tracks {@code leg} should receive: the stage's, in stage order, but its own. */
    private static List<ForwardedTrack> tracksFor(Live live, BridgeLegs.Leg leg) {
        List<ForwardedTrack> out = new ArrayList<>();
        for (Subject member : live.stage) {
            BridgeLegs.Leg stageLeg = live.meeting.legs.get(member);
            if (stageLeg != null && stageLeg != leg && stageLeg.mode == BridgeLegs.Mode.PARTICIPANT) {
                out.addAll(stageLeg.tracks);
            }
        }
        return out;
    }
}
