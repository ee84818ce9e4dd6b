package io.livedesk.media.api;

import java.util.regex.Pattern;

/**
 * The id of a conference on a bridge (Colibri2's {@code meeting-id}), typed so that it cannot be passed
 * where an endpoint id is expected or the other way round. Every instance is a valid id: one to 128
 * letters, digits and {@code . _ @ : + -}, starting with a letter or digit, since it ends up in URL
 * paths, logs and metric labels. {@link #toString()} is the id itself, as logs have always shown it.
 */
public record MeetingId(String value) {

    /** What a meeting id may be; endpoint and source ids on the Colibri2 wire follow the same syntax. */
    public static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:+-]{0,127}");
    private static final String RULE = "must match " + SYNTAX.pattern();

    /** @throws IllegalArgumentException unless {@code value} matches {@link #SYNTAX} */
    public MeetingId {
        if (value == null || !SYNTAX.matcher(value).matches()) {
            throw new IllegalArgumentException("meeting-id " + RULE);
        }
    }

    /**
     * A meeting id received from a peer (a request's body or path, a bridge's reply).
     *
     * @param name how the error names the value, e.g. {@code meeting-id in the path}
     * @throws BridgeException.BadRequest "{@code name} must match …" unless {@code value} is a meeting id
     */
    public static MeetingId parse(String value, String name) throws BridgeException.BadRequest {
        try {
            return new MeetingId(value);
        } catch (IllegalArgumentException e) {
            throw new BridgeException.BadRequest(name + " " + RULE);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
