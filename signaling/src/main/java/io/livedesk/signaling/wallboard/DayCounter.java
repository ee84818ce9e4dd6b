package io.livedesk.signaling.wallboard;

import java.util.Optional;

/**
 * One of a day's service counters: of a queue (its id {@code topic/language}) or of a staff member (their
 * subject). Stored as one text key, {@code q|loans/en|answered} or {@code s|staff-7|calls}: '|' is in neither a
 * topic, a language nor a subject.
 */
public record DayCounter(Scope scope, String id, String name) {

    public enum Scope {
        QUEUE("q"), STAFF("s");

        private final String tag;

        Scope(String tag) {
            this.tag = tag;
        }
    }

    // The names counted (see ServiceStats).
    public static final String ANSWERED = "answered";
    public static final String ANSWERED_IN_TARGET = "answeredInTarget";
    public static final String ABANDONED = "abandoned";
    public static final String WAIT_MS = "waitMs";
    public static final String CALLS = "calls";
    public static final String TALK_MS = "talkMs";
    public static final String DECLINES = "declines";
    public static final String MISSED = "missed";
    public static final String TRANSFERS = "transfers";

    public DayCounter {
        if (id.indexOf('|') >= 0 || name.indexOf('|') >= 0) {
            throw new IllegalArgumentException("a counter's id and name hold no '|'");
        }
    }

    public static DayCounter queue(String topic, String language, String name) {
        return new DayCounter(Scope.QUEUE, topic + "/" + language, name);
    }

    public static DayCounter staff(String subject, String name) {
        return new DayCounter(Scope.STAFF, subject, name);
    }

    public String key() {
        return scope.tag + "|" + id + "|" + name;
    }

    /** The counter a stored key names; empty for a key this version does not know. */
    public static Optional<DayCounter> parse(String key) {
        String[] parts = key.split("\\|", -1);
        if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        for (Scope s : Scope.values()) {
            if (s.tag.equals(parts[0])) {
                return Optional.of(new DayCounter(s, parts[1], parts[2]));
            }
        }
        return Optional.empty();
    }
}
