package io.livedesk.signaling.config;

import java.util.regex.Pattern;

/**
 * Region names, as a bank names the places its bridges and people are in ({@code north}, {@code eu-west-1}): 1 to
 * 32 characters of lower-case letters, digits and dashes. They come from configuration ({@code livedesk.region},
 * {@code livedesk.bridge.remote}), a bridge's own stats, and a token's {@code region} claim; all are checked here, so
 * that a region is only ever compared, logged and stored in this one shape.
 */
public final class Regions {
    public static final int MAX_LENGTH = 32;
    private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0," + (MAX_LENGTH - 1) + "})");

    private Regions() {
    }

    /** Whether {@code value} is a region name. */
    public static boolean valid(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    /**
     * {@code value} if it is a region name, null for an empty one (no region).
     *
     * @throws IllegalArgumentException naming {@code where} otherwise
     */
    public static String checkOptional(String where, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!valid(value)) {
            throw new IllegalArgumentException(where + ": a region is 1-" + MAX_LENGTH
                    + " lower-case letters, digits or dashes, got \"" + value + "\"");
        }
        return value;
    }
}
