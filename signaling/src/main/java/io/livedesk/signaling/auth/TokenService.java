package io.livedesk.signaling.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.livedesk.signaling.config.Regions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Mints and verifies LiveDesk's HS256 tokens. Claims: {@code sub}, {@code role}, {@code name}, and for
 * staff {@code skills}, {@code languages}, {@code capacity} and optionally {@code permissions}; for
 * customers optionally {@code maxPriority}; for anyone optionally {@code region}, where they are (a region name, see
 * {@link Regions}: a token with any other value is refused), which places their media on
 * a bridge of that region.
 *
 * <p>A permission name this version does not know is ignored, not refused: the bank's backend may grant
 * one that a newer LiveDesk defines (during a rolling upgrade, say), and ignoring it grants less, never
 * more, whereas refusing would lock the staff member out of everything. A {@code permissions} claim that
 * is not a list of strings is refused, as it is no grant at all.
 */
public final class TokenService {
    private static final int MAX_NAME = 80;
    private static final int MAX_CAPACITY = 10;

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final String issuer;
    private final Clock clock;

    public TokenService(byte[] secret, String issuer, Clock clock) {
        this.algorithm = Algorithm.HMAC256(secret);
        this.issuer = issuer;
        this.clock = clock;
        // Verify by the same clock that mints (expiry and issued-at), not the machine's.
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(issuer)
                .withClaimPresence("exp").withClaimPresence("sub").acceptLeeway(5))
                .build(clock);
    }

    /** A signed token for the principal, valid for {@code ttl}. */
    public String mint(Principal p, Duration ttl) {
        validate(p);
        Instant now = clock.instant();
        var builder = JWT.create()
                .withIssuer(issuer)
                .withSubject(p.subject().value())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl))
                .withClaim("role", p.role().wire());
        if (p.name() != null) {
            builder.withClaim("name", p.name());
        }
        if (p.role().serves()) {
            builder.withClaim("skills", List.copyOf(p.skills()))
                    .withClaim("languages", List.copyOf(p.languages()))
                    .withClaim("capacity", p.capacity());
            if (!p.permissions().isEmpty()) {
                builder.withClaim("permissions", p.permissions().stream().sorted().map(Permission::wire).toList());
            }
        }
        if (p.role() == Role.CUSTOMER && p.maxPriority() > 0) {
            builder.withClaim("maxPriority", p.maxPriority());
        }
        if (p.anonymous()) {
            builder.withClaim("anonymous", true);
        }
        if (p.region() != null) {
            builder.withClaim("region", p.region());
        }
        return builder.sign(algorithm);
    }

    /** Verifies signature, issuer and expiry, and checks the claims make a valid principal. */
    public Principal verify(String token, int defaultMaxPriority) throws InvalidTokenException {
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw new InvalidTokenException("token expired");
        } catch (JWTVerificationException e) {
            throw new InvalidTokenException("token not valid for this service");
        }
        Role role;
        try {
            role = Role.fromWire(jwt.getClaim("role").asString());
        } catch (RuntimeException e) {
            throw new InvalidTokenException("token has no valid role");
        }
        // A viewer's token may be anonymous (the bank's page mints it for a visitor): no name until they give one.
        String name = jwt.getClaim("name").isMissing() ? (role == Role.VIEWER ? null : jwt.getSubject())
                : jwt.getClaim("name").asString();
        Set<String> skills = Set.of();
        Set<String> languages = Set.of();
        int capacity = 1;
        Set<Permission> permissions = Set.of();
        if (role.serves()) {
            permissions = permissions(jwt.getClaim("permissions"));
            skills = stringSet(jwt.getClaim("skills"));
            languages = stringSet(jwt.getClaim("languages"));
            Claim cap = jwt.getClaim("capacity");
            capacity = cap.isMissing() || cap.isNull() ? 1 : cap.asInt() == null ? -1 : cap.asInt();
        }
        int maxPriority = defaultMaxPriority;
        Claim mp = jwt.getClaim("maxPriority");
        if (!mp.isMissing() && mp.asInt() != null) {
            maxPriority = mp.asInt();
        }
        Claim anonymous = jwt.getClaim("anonymous");
        String region = region(jwt.getClaim("region"));
        try {
            Principal p = new Principal(Subject.of(jwt.getSubject()), role, name, skills, languages, capacity, maxPriority,
                    permissions, Boolean.TRUE.equals(anonymous.asBoolean()), region);
            validate(p);
            return p;
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(e.getMessage());
        }
    }

    /** The {@code region} claim: absent or null for none, else a region name; anything else refuses the token. */
    private static String region(Claim c) throws InvalidTokenException {
        if (c.isMissing() || c.isNull()) {
            return null;
        }
        String value = c.asString();
        if (!Regions.valid(value)) {
            throw new InvalidTokenException("token claim region must be 1-" + Regions.MAX_LENGTH
                    + " lower-case letters, digits or dashes");
        }
        return value;
    }

    private static Set<String> stringSet(Claim c) throws InvalidTokenException {
        if (c.isMissing() || c.isNull()) {
            return Set.of();
        }
        List<String> list = c.asList(String.class);
        if (list == null) {
            throw new InvalidTokenException("token claim is not a list of strings");
        }
        return Set.copyOf(list);
    }

    /** The known permissions of the claim; unknown names are dropped (see the class comment). */
    private static Set<Permission> permissions(Claim c) throws InvalidTokenException {
        Set<Permission> known = EnumSet.noneOf(Permission.class);
        for (String name : stringSet(c)) {
            Permission.fromWire(name).ifPresent(known::add);
        }
        return known;
    }

    private static void validate(Principal p) {
        if (p.subject() == null) {
            throw new IllegalArgumentException("subject is required");
        }
        boolean anonymousViewer = p.name() == null && p.role() == Role.VIEWER;
        if (!anonymousViewer && (p.name() == null || p.name().isBlank() || p.name().length() > MAX_NAME)) {
            throw new IllegalArgumentException("name must be 1-" + MAX_NAME + " characters");
        }
        if (p.capacity() < 1 || p.capacity() > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be 1-" + MAX_CAPACITY);
        }
        if (p.maxPriority() < 0 || p.maxPriority() > 9) {
            throw new IllegalArgumentException("maxPriority must be 0-9");
        }
        if (!p.role().serves() && !p.permissions().isEmpty()) {
            throw new IllegalArgumentException("permissions are for staff and supervisors only");
        }
    }
}
