package io.livedesk.media.api;

import java.util.regex.Pattern;

/**
 * A conference's {@code name} on the Colibri2 wire. Jitsi Videobridge takes only a bare JID there
 * ({@code local@domain}, no resource) and refuses anything else with 400 "Invalid conference name (not a JID)";
 * LiveDesk names every conference {@code <meeting-id>@livedesk.internal} so that any bridge in the pool takes it,
 * and LiveDesk's own bridge refuses what Jitsi's refuses, so that a wrong name fails in tests, not in production.
 */
public final class ConferenceNames {
    /** The domain of LiveDesk's conference names: internal, never resolved. */
    public static final String DOMAIN = "livedesk.internal";

    /**
     * A bare JID as XMPP address syntax (RFC 7622) allows it, in the form Jitsi Videobridge parses a name with
     * (an entity bare JID: a local part is required): no whitespace or control characters anywhere, none of
     * {@code " & ' / : < > @} in the local part, no {@code @ /} in the domain.
     */
    private static final Pattern BARE_JID = Pattern.compile(
            "[^\\s\\p{Cntrl}\"&'/:<>@]{1,1023}@[^\\s\\p{Cntrl}@/]{1,1023}");

    private ConferenceNames() {
    }

    /**
     * The name LiveDesk gives a meeting's conference. A meeting id's {@code @} and {@code :} (which it may hold, a
     * JID's local part may not) are escaped as XEP-0106 does ({@code \40}, {@code \3a}).
     */
    public static String of(MeetingId meetingId) {
        String local = meetingId.value().replace("@", "\\40").replace(":", "\\3a");
        return local + "@" + DOMAIN;
    }

    /** Whether a bridge that parses names as Jitsi Videobridge does would take {@code name}. */
    public static boolean isBareJid(String name) {
        return name != null && BARE_JID.matcher(name).matches();
    }
}
