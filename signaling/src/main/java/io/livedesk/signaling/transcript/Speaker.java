package io.livedesk.signaling.transcript;

import java.util.Locale;

/** Who said a line of a call, as the transcript and the captions label it. */
public enum Speaker {
    CUSTOMER("Customer"), STAFF("Staff"), SUPERVISOR("Supervisor");

    private final String label;

    Speaker(String label) {
        this.label = label;
    }

    /** As on the wire and in stored lines: {@code customer}, {@code staff}, {@code supervisor}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The English label of the plain-text transcript. */
    public String label() {
        return label;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Speaker fromWire(String s) {
        if (s != null) {
            for (Speaker v : values()) {
                if (v.wire().equals(s)) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("speaker must be customer, staff or supervisor, got " + s);
    }
}
