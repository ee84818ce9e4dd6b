package io.livedesk.signaling.auth;

/** A token that is malformed, expired, or not ours. The message is safe to show the caller. */
public class InvalidTokenException extends Exception {
    public InvalidTokenException(String message) {
        super(message);
    }
}
