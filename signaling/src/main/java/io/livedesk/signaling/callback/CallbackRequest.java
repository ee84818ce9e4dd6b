package io.livedesk.signaling.callback;

import io.livedesk.signaling.auth.Subject;

import java.util.Map;
import java.util.Objects;

/**
 * A customer's request to be called back, left instead of waiting (no staff free, outside opening hours, or
 * after the maximum wait). Holds customer data (name, phone, note): never logged.
 *
 * @param preferredTime what the customer wrote for when suits them (free text, e.g. "after 18:00"), may be ""
 * @param context       the page or product the request came from, as {@code request.create} carries it
 * @param staffId       who took it; null while open
 * @param outcome       how it was closed; null until closed
 * @param outcomeNote   the staff member's note on closing, may be ""
 */
public record CallbackRequest(CallbackId id, Subject customerId, String name, String phone, String note,
                              String preferredTime, String topic, String language, Map<String, String> context,
                              long createdAtMs, CallbackState state, Subject staffId, long takenAtMs,
                              CallbackOutcome outcome, String outcomeNote, long closedAtMs) {
    public CallbackRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(state, "state");
        name = Objects.requireNonNullElse(name, "");
        phone = Objects.requireNonNullElse(phone, "");
        note = Objects.requireNonNullElse(note, "");
        preferredTime = Objects.requireNonNullElse(preferredTime, "");
        outcomeNote = Objects.requireNonNullElse(outcomeNote, "");
        context = Map.copyOf(context == null ? Map.of() : context);
        if ((state == CallbackState.OPEN) != (staffId == null)) {
            throw new IllegalArgumentException("an open callback request has no staff member, a taken or closed one has");
        }
        if ((state == CallbackState.CLOSED) != (outcome != null)) {
            throw new IllegalArgumentException("only a closed callback request has an outcome");
        }
    }

    /** A new, open request. */
    public static CallbackRequest open(CallbackId id, Subject customerId, String name, String phone, String note,
                                       String preferredTime, String topic, String language,
                                       Map<String, String> context, long createdAtMs) {
        return new CallbackRequest(id, customerId, name, phone, note, preferredTime, topic, language, context,
                createdAtMs, CallbackState.OPEN, null, 0, null, "", 0);
    }

    public CallbackRequest takenBy(Subject staff, long atMs) {
        return new CallbackRequest(id, customerId, name, phone, note, preferredTime, topic, language, context,
                createdAtMs, CallbackState.TAKEN, staff, atMs, null, "", 0);
    }

    public CallbackRequest closed(CallbackOutcome how, String noteOnClosing, long atMs) {
        return new CallbackRequest(id, customerId, name, phone, note, preferredTime, topic, language, context,
                createdAtMs, CallbackState.CLOSED, staffId, takenAtMs, how, noteOnClosing, atMs);
    }
}
