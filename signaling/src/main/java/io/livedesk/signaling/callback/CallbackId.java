package io.livedesk.signaling.callback;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** A callback request's id: {@code cb-<uuid>}. */
public record CallbackId(String value) {
    private static final Pattern FORM = Pattern.compile("cb-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public CallbackId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not a callback id: " + value);
        }
    }

    public static CallbackId random() {
        return new CallbackId("cb-" + UUID.randomUUID());
    }

    /** The id, or empty when the text is not one (from the wire or a store). */
    public static Optional<CallbackId> parse(String value) {
        return value != null && FORM.matcher(value).matches() ? Optional.of(new CallbackId(value)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
