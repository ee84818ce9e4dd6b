package io.livedesk.signaling.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.server.HttpCall;
import io.livedesk.signaling.server.HttpReply;
import io.livedesk.signaling.server.HttpRoutes;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Token minting for the demo and for development. In production the bank's backend mints tokens with
 * the shared secret and both endpoints are off ({@code auth.dev-tokens = false}, {@code demo.enabled = false}).
 */
public final class DevTokenEndpoints {
    private final TokenService tokens;
    private final LiveDeskConfig.Auth config;
    private final boolean demoEnabled;
    private final byte[] adminKey;
    private final ObjectMapper json;

    public DevTokenEndpoints(TokenService tokens, LiveDeskConfig.Auth config, boolean demoEnabled, String adminKey,
                             ObjectMapper json) {
        this.tokens = tokens;
        this.config = config;
        this.demoEnabled = demoEnabled;
        this.adminKey = adminKey.getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    private static final Pattern VISITOR = Pattern.compile("[A-Za-z0-9-]{8,40}");

    record MintRequest(String role, String subject, String name, List<String> skills, List<String> languages,
                       Integer capacity, Integer maxPriority, List<String> permissions, Boolean anonymous,
                       String region) {
    }

    /**
     * @param visitor the demo page's own id for this browser (kept in its storage), so that a returning demo
     *                customer is the same customer and has a history; absent: an anonymous visit
     */
    record DemoRequest(String name, String visitor) {
    }

    public void register(HttpRoutes routes) {
        if (config.devTokens()) {
            routes.add(HttpMethod.POST, "/api/dev/tokens", this::mint);
        }
        if (demoEnabled) {
            routes.add(HttpMethod.POST, "/demo/api/customer-token", this::demoCustomer);
            routes.add(HttpMethod.POST, "/demo/api/viewer-token", this::demoViewer);
        }
    }

    private HttpReply mint(HttpCall call) throws Exception {
        String key = call.header("X-Admin-Key");
        if (key == null || !MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), adminKey)) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, "a valid X-Admin-Key header is required");
        }
        MintRequest r = call.jsonBody(json, MintRequest.class);
        Role role;
        try {
            role = Role.fromWire(String.valueOf(r.role()));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "role must be customer, staff, supervisor or viewer");
        }
        Subject subject;
        try {
            subject = Subject.of(r.subject());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, e.getMessage());
        }
        String name = r.name() != null || role == Role.VIEWER ? r.name() : r.subject(); // a viewer may be anonymous
        Principal p;
        try {
            p = new Principal(subject, role, name,
                    Set.copyOf(r.skills() == null ? List.of() : r.skills()),
                    Set.copyOf(r.languages() == null ? List.of() : r.languages()),
                    r.capacity() == null ? 1 : r.capacity(), r.maxPriority() == null ? 0 : r.maxPriority(),
                    permissions(r.permissions()), Boolean.TRUE.equals(r.anonymous()), r.region());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, e.getMessage());
        }
        return issue(p);
    }

    /**
     * Unlike a token's claim (see {@link TokenService}), a name this version does not know is refused
     * here: whoever mints by hand made a typo, and should hear of it rather than get a token without it.
     */
    private static Set<Permission> permissions(List<String> names) {
        Set<Permission> out = EnumSet.noneOf(Permission.class);
        for (String name : names == null ? List.<String>of() : names) {
            out.add(Permission.fromWire(name).orElseThrow(() -> new ProtocolException(ErrorCode.BAD_MESSAGE,
                    "unknown permission \"" + name + "\"; known: " + Arrays.stream(Permission.values())
                            .map(Permission::wire).collect(Collectors.joining(", ")))));
        }
        return out;
    }

    private HttpReply demoCustomer(HttpCall call) throws Exception {
        DemoRequest r = call.jsonBody(json, DemoRequest.class);
        String name = r.name() == null || r.name().isBlank() ? "Guest" : r.name().trim();
        if (r.visitor() != null && !VISITOR.matcher(r.visitor()).matches()) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "visitor must be 8-40 letters, digits or -");
        }
        // Without a visitor id, a new random subject per visit, so marked anonymous: no history is kept under it.
        boolean anonymous = r.visitor() == null;
        String subject = "cust-" + (anonymous ? UUID.randomUUID().toString().substring(0, 12) : r.visitor());
        return issue(new Principal(Subject.of(subject), Role.CUSTOMER, name, Set.of(), Set.of(), 1, 0, Set.of(), anonymous));
    }

    /**
     * A viewer, as a bank's page would mint for a visitor: anonymous (no name claim: they give one if they
     * consult) unless the body names them, as for a signed-in customer. A new random subject each time; the
     * page keeps the token for its tab, so a reload stays the same viewer.
     */
    private HttpReply demoViewer(HttpCall call) throws Exception {
        DemoRequest r = call.jsonBody(json, DemoRequest.class);
        String name = r.name() == null || r.name().isBlank() ? null : r.name().trim();
        return issue(new Principal(Subject.of("viewer-" + UUID.randomUUID().toString().substring(0, 12)), Role.VIEWER, name,
                Set.of(), Set.of(), 1, 0));
    }

    private HttpReply issue(Principal p) throws Exception {
        String token;
        try {
            token = tokens.mint(p, config.tokenTtl());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, e.getMessage());
        }
        Instant expires = Instant.now().plus(config.tokenTtl());
        return HttpReply.json(200, json.writeValueAsString(Map.of("token", token, "subject", p.subject(),
                "expiresAt", expires.toString())));
    }
}
