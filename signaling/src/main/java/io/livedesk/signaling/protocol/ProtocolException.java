package io.livedesk.signaling.protocol;

/** A request that cannot be served, with the code and a message the caller may see. */
public class ProtocolException extends RuntimeException {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
