package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Subject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The stream id under which a participant's tracks reach the others through the bridge (the {@code a=msid}
 * stream of the SDP answers), and which participant lists carry as {@code stream}, so that a page can tell
 * whose video a track is. A browser's own stream ids are random and change with every page, and only the
 * browser knows them; these are chosen by the server, the same on every node and through reloads.
 *
 * <p>The customer and the staff member get a digest of the call and their subject (both know each other
 * anyway). A supervisor gets one drawn at random when they join and kept with the call: a digest of a
 * guessable subject would let a customer work out which supervisor barged in, whose identity participants
 * are not told.
 */
public final class CallStreams {
    private static final String PREFIX = "ld-";
    private static final int HEX_CHARS = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private CallStreams() {
    }

    /** The stream id of {@code subject}'s tracks in {@code call}. */
    public static String of(CallRecord call, Subject subject) {
        return call.supervisor(subject).map(CallRecord.Supervisor::stream)
                .orElseGet(() -> digest(call.callId(), subject));
    }

    /** A fresh stream id for a supervisor who joins. */
    public static String random() {
        byte[] bytes = new byte[HEX_CHARS / 2];
        RANDOM.nextBytes(bytes);
        return PREFIX + HexFormat.of().formatHex(bytes);
    }

    private static String digest(CallId callId, Subject subject) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((callId.value() + "\n" + subject.value()).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(hash).substring(0, HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
