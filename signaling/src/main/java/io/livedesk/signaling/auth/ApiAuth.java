package io.livedesk.signaling.auth;

import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.server.HttpCall;

import java.util.Set;

/** Checks a REST caller's bearer token and role. */
public final class ApiAuth {
    private final TokenService tokens;
    private final int defaultMaxPriority;

    public ApiAuth(TokenService tokens, int defaultMaxPriority) {
        this.tokens = tokens;
        this.defaultMaxPriority = defaultMaxPriority;
    }

    public Principal require(HttpCall call, Set<Role> roles) {
        String header = call.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, "send Authorization: Bearer <token>");
        }
        Principal p;
        try {
            p = tokens.verify(header.substring(7).trim(), defaultMaxPriority);
        } catch (InvalidTokenException e) {
            throw new ProtocolException(ErrorCode.INVALID_TOKEN, e.getMessage());
        }
        if (!roles.contains(p.role())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "a " + p.role().wire() + " may not use this");
        }
        return p;
    }
}
