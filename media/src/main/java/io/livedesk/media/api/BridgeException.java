package io.livedesk.media.api;

/** A bridge request that failed; the subclasses map to HTTP 404, 400 and 503 in the REST form. */
public sealed class BridgeException extends Exception
        permits BridgeException.NotFound, BridgeException.BadRequest, BridgeException.Unavailable {

    protected BridgeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No such conference or endpoint. */
    public static final class NotFound extends BridgeException {
        public NotFound(String message) {
            super(message, null);
        }
    }

    /** The request is malformed or asks for something the bridge does not do. */
    public static final class BadRequest extends BridgeException {
        public BadRequest(String message) {
            super(message, null);
        }
    }

    /** The bridge could not be reached or is shutting down. */
    public static final class Unavailable extends BridgeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
