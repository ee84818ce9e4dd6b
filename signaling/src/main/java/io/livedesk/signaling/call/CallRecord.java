package io.livedesk.signaling.call;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.live.BroadcastOrigin;
import io.livedesk.signaling.routing.RequestId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything kept about one call, from the request to its end. The call id is the request id.
 * Times are epoch milliseconds, 0 when not reached.
 *
 * <p>State changes go through {@link CallState}; the people in a live call change too (a supervisor joins
 * or leaves, the staff member hands the call over in a transfer) without a change of state. Every
 * change makes a new record with {@code revision + 1}, which is what {@link CallStore#compareAndSet}
 * compares, so two changes made at once cannot both land.
 *
 * @param asked              what the customer asked with (their page's context, the livestream they came from)
 *                           and whether their token identifies them; never changes
 * @param staffSinceMs       when the staff member now on the call took it (the answer, or the transfer to them);
 *                           0 before the answer: their share of the talk time starts here
 * @param supervisors        supervisors in the live call now, in order of joining
 * @param formerStaffIds     staff members who had the call before a transfer, oldest first
 * @param transferRequestId  the routing request of a transfer under way (the call waits in a queue for
 *                           its next staff member while the current one stays on), else null
 * @param handover           who asked for the call's latest transfer, with the note they wrote for the next staff
 *                           member; null before any
 * @param mediaNode          the node whose media negotiator holds the call's media state (the node that
 *                           answered it); every node hands the call's media signals to it. Null before
 *                           the answer.
 */
public record CallRecord(CallId callId, Subject customerId, String customerName, String topic, String language,
                         int priority, Asked asked, Subject staffId, String staffName, CallState state,
                         long enqueuedAtMs, long offeredAtMs, long answeredAtMs, long connectedAtMs,
                         long endedAtMs, EndReason endReason, long staffSinceMs, List<Supervisor> supervisors,
                         List<Subject> formerStaffIds, RequestId transferRequestId, Handover handover, String mediaNode,
                         int revision) {

    /**
     * @param announced whether the customer was told (barged in), or the supervisor only monitors
     * @param name      as their token names them, for the staff member and other supervisors (never the
     *                  customer); null in records written before it was kept
     * @param stream    the id their media stream has in the others' SDP answers ({@link CallStreams}): drawn at
     *                  random when they join, so the customer cannot work out who they are from it; null in
     *                  records written before it was kept
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Supervisor(Subject id, boolean announced, String name, String stream) {
        public Supervisor(Subject id, boolean announced) {
            this(id, announced, null, null);
        }
    }

    /**
     * What the customer's request brought along, kept with the call for its staff (the brief, a transfer).
     *
     * @param context    the customer's page's own words ({@code request.create}'s context): shown, never acted on
     * @param origin     the livestream a viewer consulted from, set by the server; else null
     * @param identified whether the customer's token names a lasting customer (not an anonymous visitor): only
     *                   then are their calls kept together as their history
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Asked(Map<String, String> context, BroadcastOrigin origin, boolean identified) {
        public static final Asked NONE = new Asked(Map.of(), null, false);

        public Asked {
            context = context == null ? Map.of() : Map.copyOf(context);
        }
    }

    /** @param note null when they wrote none */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Handover(String fromStaffName, String note) {
    }

    public CallRecord {
        asked = asked == null ? Asked.NONE : asked;
        if (staffSinceMs == 0 && answeredAtMs > 0) {
            staffSinceMs = answeredAtMs; // a record stored before staffSinceMs existed: its staff took it at the answer
        }
        supervisors = supervisors == null ? List.of() : List.copyOf(supervisors);
        formerStaffIds = formerStaffIds == null ? List.of() : List.copyOf(formerStaffIds);
    }

    public static CallRecord queued(CallId callId, Subject customerId, String customerName, String topic,
                                    String language, int priority, long enqueuedAtMs) {
        return queued(callId, customerId, customerName, topic, language, priority, Asked.NONE, enqueuedAtMs);
    }

    public static CallRecord queued(CallId callId, Subject customerId, String customerName, String topic,
                                    String language, int priority, Asked asked, long enqueuedAtMs) {
        return new CallRecord(callId, customerId, customerName, topic, language, priority, asked, null, null,
                CallState.QUEUED, enqueuedAtMs, 0, 0, 0, 0, null, 0, List.of(), List.of(), null, null, null, 0);
    }

    /**
     * Wait time, the one definition every screen shows (docs/protocol.md): from the request until a staff
     * member answered, or until it ended unanswered, or until {@code nowMs} while it still waits. Ringing
     * counts as waiting; a transfer does not restart it.
     */
    public long waitMs(long nowMs) {
        if (answeredAtMs > 0) {
            return answeredAtMs - enqueuedAtMs;
        }
        return Math.max(0, (endedAtMs > 0 ? endedAtMs : nowMs) - enqueuedAtMs);
    }

    /**
     * Talk time, the one definition every screen shows: from the answer to the end (or to {@code nowMs} while
     * the call runs), through any transfers.
     */
    public long talkMs(long nowMs) {
        if (answeredAtMs == 0) {
            return 0;
        }
        return (endedAtMs > 0 ? endedAtMs : nowMs) - answeredAtMs;
    }

    /** The current staff member's share of the talk time: from when they took the call to its end (or now). */
    public long staffTalkMs(long nowMs) {
        return staffSinceMs == 0 ? 0 : Math.max(0, (endedAtMs > 0 ? endedAtMs : nowMs) - staffSinceMs);
    }

    /** The customer or the staff member now on the call (not a supervisor). */
    public boolean isParty(Subject subject) {
        return subject.equals(customerId) || subject.equals(staffId);
    }

    public boolean isSupervisor(Subject subject) {
        return supervisors.stream().anyMatch(s -> s.id().equals(subject));
    }

    public List<Subject> supervisorIds() {
        return supervisors.stream().map(Supervisor::id).toList();
    }

    /** Everyone in the call now: customer, staff member, supervisors. */
    public List<Subject> participants() {
        List<Subject> all = new ArrayList<>(2 + supervisors.size());
        all.add(customerId);
        if (staffId != null) {
            all.add(staffId);
        }
        all.addAll(supervisorIds());
        return all;
    }

    public Subject peerOf(Subject subject) {
        return subject.equals(customerId) ? staffId : customerId;
    }

    private CallRecord to(CallState target) {
        if (!state.canMoveTo(target)) {
            throw new IllegalStateException("call cannot go from " + state + " to " + target);
        }
        return this;
    }

    private void requireLive(String change) {
        if (!state.live()) {
            throw new IllegalStateException("cannot " + change + " a call that is " + state);
        }
    }

    public CallRecord offered(Subject staffId, String staffName, long nowMs) {
        to(CallState.OFFERED);
        return new CallRecord(callId, customerId, customerName, topic, language, priority, asked, staffId, staffName,
                CallState.OFFERED, enqueuedAtMs, nowMs, 0, 0, 0, null, 0, supervisors, formerStaffIds,
                transferRequestId, handover, mediaNode, revision + 1);
    }

    /**
     * This record with the time of the accepted offer put in (where a stand-in held its place while only the
     * store knew it): the same record as stored, so the same revision.
     */
    public CallRecord withOfferedAt(long offeredAtMs) {
        return new CallRecord(callId, customerId, customerName, topic, language, priority, asked, staffId, staffName, state,
                enqueuedAtMs, offeredAtMs, answeredAtMs, connectedAtMs, endedAtMs, endReason, staffSinceMs, supervisors,
                formerStaffIds, transferRequestId, handover, mediaNode, revision);
    }

    public CallRecord requeued() {
        to(CallState.QUEUED);
        return new CallRecord(callId, customerId, customerName, topic, language, priority, asked, null, null,
                CallState.QUEUED, enqueuedAtMs, offeredAtMs, 0, 0, 0, null, 0, supervisors, formerStaffIds,
                transferRequestId, handover, mediaNode, revision + 1);
    }

    public CallRecord answered(long nowMs) {
        to(CallState.CONNECTING);
        return new CallRecord(callId, customerId, customerName, topic, language, priority, asked, staffId, staffName,
                CallState.CONNECTING, enqueuedAtMs, offeredAtMs, nowMs, 0, 0, null, nowMs, supervisors, formerStaffIds,
                transferRequestId, handover, mediaNode, revision + 1);
    }

    /** The node that answered the call holds its media state. */
    public CallRecord withMediaNode(String nodeId) {
        return new CallRecord(callId, customerId, customerName, topic, language, priority, asked, staffId, staffName, state,
                enqueuedAtMs, offeredAtMs, answeredAtMs, connectedAtMs, endedAtMs, endReason, staffSinceMs, supervisors,
                formerStaffIds, transferRequestId, handover, nodeId, revision + 1);
    }

    public CallRecord connected(long nowMs) {
        to(CallState.ACTIVE);
        return new CallRecord(callId, customerId, customerName, topic, language, priority, asked, staffId, staffName,
                CallState.ACTIVE, enqueuedAtMs, offeredAtMs, answeredAtMs, nowMs, 0, null, staffSinceMs, supervisors,
                formerStaffIds, transferRequestId, handover, mediaNode, revision + 1);
    }

    public CallRecord ended(EndReason reason, long nowMs) {
        to(CallState.ENDED);
        return new CallRecord(callId, customerId, customerName, topic, language, priority, asked, staffId, staffName,
                CallState.ENDED, enqueuedAtMs, offeredAtMs, answeredAtMs, connectedAtMs, nowMs, reason, staffSinceMs,
                List.of(), formerStaffIds, null, handover, mediaNode, revision + 1);
    }

    /** A supervisor joins the live call; {@code announced} when the customer is told. */
    public CallRecord withSupervisor(Subject supervisorId, boolean announced) {
        return withSupervisor(new Supervisor(supervisorId, announced));
    }

    /** A supervisor joins the live call. */
    public CallRecord withSupervisor(Supervisor supervisor) {
        requireLive("join");
        Subject supervisorId = supervisor.id();
        if (isSupervisor(supervisorId) || isParty(supervisorId)) {
            throw new IllegalStateException(supervisorId + " is already in the call");
        }
        List<Supervisor> next = new ArrayList<>(supervisors);
        next.add(supervisor);
        return withPeople(staffId, staffName, next, formerStaffIds, transferRequestId);
    }

    /** The supervisor in the call with this id, if any. */
    public Optional<Supervisor> supervisor(Subject subject) {
        return supervisors.stream().filter(s -> s.id().equals(subject)).findFirst();
    }

    /** A supervisor leaves the live call. */
    public CallRecord withoutSupervisor(Subject supervisorId) {
        requireLive("leave");
        List<Supervisor> next = new ArrayList<>(supervisors);
        if (!next.removeIf(s -> s.id().equals(supervisorId))) {
            throw new IllegalStateException(supervisorId + " is not in the call");
        }
        return withPeople(staffId, staffName, next, formerStaffIds, transferRequestId);
    }

    /**
     * The staff member asked for a transfer: the call waits for its next staff member under this request,
     * with the note they wrote for whoever takes it (null for none).
     */
    public CallRecord transferring(RequestId requestId, String note) {
        requireLive("transfer");
        if (transferRequestId != null) {
            throw new IllegalStateException("a transfer is already under way");
        }
        return withPeople(staffId, staffName, supervisors, formerStaffIds, requestId, new Handover(staffName, note),
                staffSinceMs);
    }

    /** The transfer was called off (nobody took it, or the staff member changed their mind), with its note. */
    public CallRecord transferCancelled() {
        requireLive("cancel a transfer of");
        return withPeople(staffId, staffName, supervisors, formerStaffIds, null, null, staffSinceMs);
    }

    /**
     * The next staff member took the transfer: they replace the current one, who is kept in the history; the
     * handover note stays with the call for them.
     */
    public CallRecord transferredTo(Subject newStaffId, String newStaffName, long nowMs) {
        requireLive("transfer");
        if (transferRequestId == null) {
            throw new IllegalStateException("no transfer is under way");
        }
        List<Subject> former = new ArrayList<>(formerStaffIds);
        former.add(staffId);
        return withPeople(newStaffId, newStaffName, supervisors, former, null, handover, nowMs);
    }

    private CallRecord withPeople(Subject staff, String name, List<Supervisor> present, List<Subject> former,
                                  RequestId transfer) {
        return withPeople(staff, name, present, former, transfer, handover, staffSinceMs);
    }

    private CallRecord withPeople(Subject staff, String name, List<Supervisor> present, List<Subject> former,
                                  RequestId transfer, Handover nextHandover, long since) {
        return new CallRecord(callId, customerId, customerName, topic, language, priority, asked, staff, name, state,
                enqueuedAtMs, offeredAtMs, answeredAtMs, connectedAtMs, endedAtMs, endReason, since, present, former,
                transfer, nextHandover, mediaNode, revision + 1);
    }
}
