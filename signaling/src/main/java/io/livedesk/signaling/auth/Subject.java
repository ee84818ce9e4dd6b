package io.livedesk.signaling.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who someone is: the {@code sub} of their token, whatever their role (customer, staff member,
 * supervisor, viewer). Typed so that a name, a topic or a call id cannot be passed where a person is
 * meant; on the wire and in stores it is its plain string.
 */
public record Subject(String value) implements Comparable<Subject> {
    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");

    public Subject {
        if (value == null || !SYNTAX.matcher(value).matches()) {
            throw new IllegalArgumentException("subject must be 1-64 characters of letters, digits and ._:@-");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Subject of(String value) {
        return new Subject(value);
    }

    /** A subject read from outside (a URL path, a bus address), if it is one. */
    public static Optional<Subject> parse(String raw) {
        return raw != null && SYNTAX.matcher(raw).matches() ? Optional.of(new Subject(raw)) : Optional.empty();
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public int compareTo(Subject other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
