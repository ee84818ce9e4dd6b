package io.livedesk.signaling.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.livedesk.signaling.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenServiceTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SECRET = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
    /** Deliberately far from the machine's time: the service must go by its own clock. */
    private static final Instant T0 = Instant.parse("2031-03-01T08:00:00Z");
    private static final Duration TTL = Duration.ofHours(1);

    private final MutableClock clock = new MutableClock(T0);
    private final TokenService tokens = new TokenService(SECRET, "livedesk", clock);

    private static final Principal STAFF = new Principal(Subject.of("staff-7"), Role.STAFF, "Zhang Min",
            Set.of("accounts", "cards"), Set.of("en", "zh"), 2, 0);
    private static final Principal CUSTOMER = new Principal(Subject.of("cust-42"), Role.CUSTOMER, "Li Wei",
            Set.of(), Set.of(), 1, 0);

    @Test
    void staffTokenRoundTrips() throws Exception {
        assertEquals(STAFF, tokens.verify(tokens.mint(STAFF, TTL), 0));
    }

    @Test
    void supervisorTokenKeepsSkillsAndCapacity() throws Exception {
        Principal supervisor = new Principal(Subject.of("sup-1"), Role.SUPERVISOR, "Ana", Set.of("loans"), Set.of("en"), 3, 0);
        assertEquals(supervisor, tokens.verify(tokens.mint(supervisor, TTL), 0));
    }

    @Test
    void customerTokenRoundTripsWithTheDefaultMaxPriority() throws Exception {
        assertEquals(CUSTOMER, tokens.verify(tokens.mint(CUSTOMER, TTL), 0));
        assertEquals(4, tokens.verify(tokens.mint(CUSTOMER, TTL), 4).maxPriority());
    }

    @Test
    void customerTokenCarriesItsOwnMaxPriority() throws Exception {
        Principal vip = new Principal(Subject.of("cust-vip"), Role.CUSTOMER, "Wang Fang", Set.of(), Set.of(), 1, 7);
        assertEquals(vip, tokens.verify(tokens.mint(vip, TTL), 0));
    }

    @Test
    void customerTokenHasNoStaffClaims() throws Exception {
        Principal odd = new Principal(Subject.of("cust-1"), Role.CUSTOMER, "Li", Set.of("cards"), Set.of("en"), 5, 0);
        Principal read = tokens.verify(tokens.mint(odd, TTL), 0);
        assertEquals(Set.of(), read.skills());
        assertEquals(Set.of(), read.languages());
        assertEquals(1, read.capacity());
    }

    @Test
    void tokenIsValidUntilItsExpiryPlusTheLeeway() throws Exception {
        String token = tokens.mint(STAFF, TTL);
        clock.advance(TTL.plusSeconds(4));
        assertEquals(STAFF, tokens.verify(token, 0));
    }

    @Test
    void expiredTokenIsRefused() {
        String token = tokens.mint(STAFF, TTL);
        clock.advance(TTL.plusSeconds(6));
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
        assertEquals("token expired", e.getMessage());
    }

    @Test
    void aSignedTokenWithoutExpiryIsRefusedSoNoTokenLivesForever() {
        String forever = JWT.create().withIssuer("livedesk").withSubject("cust-1").withClaim("role", "customer")
                .withIssuedAt(T0).sign(Algorithm.HMAC256(SECRET));
        assertThrows(InvalidTokenException.class, () -> tokens.verify(forever, 0));
    }

    @Test
    void tokenIssuedInTheFutureIsRefused() {
        String token = tokens.mint(STAFF, TTL);
        clock.advance(Duration.ofMinutes(-10));
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
    }

    @Test
    void tokenSignedWithAnotherSecretIsRefused() {
        String foreign = new TokenService(OTHER_SECRET, "livedesk", clock).mint(STAFF, TTL);
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> tokens.verify(foreign, 0));
        assertEquals("token not valid for this service", e.getMessage());
    }

    @Test
    void tokenOfAnotherIssuerIsRefused() {
        String foreign = new TokenService(SECRET, "someone-else", clock).mint(STAFF, TTL);
        assertThrows(InvalidTokenException.class, () -> tokens.verify(foreign, 0));
    }

    @Test
    void tamperedPayloadIsRefused() {
        String[] parts = tokens.mint(CUSTOMER, TTL).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String promoted = payload.replace("\"customer\"", "\"supervisor\"");
        assertTrue(!promoted.equals(payload), "the payload names the role");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(promoted.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThrows(InvalidTokenException.class, () -> tokens.verify(tampered, 0));
    }

    @Test
    void tamperedSignatureIsRefused() {
        String token = tokens.mint(CUSTOMER, TTL);
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        assertThrows(InvalidTokenException.class, () -> tokens.verify(tampered, 0));
    }

    @Test
    void unsignedTokenIsRefused() {
        String none = JWT.create().withIssuer("livedesk").withSubject("cust-1").withClaim("role", "supervisor")
                .withExpiresAt(T0.plus(TTL)).sign(Algorithm.none());
        assertThrows(InvalidTokenException.class, () -> tokens.verify(none, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9..", "....."})
    void malformedTokenIsRefused(String token) {
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
    }

    @Test
    void tokenWithoutRoleIsRefused() {
        String token = signed(JWT.create().withSubject("cust-1").withClaim("name", "Li"));
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
        assertEquals("token has no valid role", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "", "root"})
    void tokenWithAnUnknownRoleIsRefused(String role) {
        String token = signed(JWT.create().withSubject("cust-1").withClaim("role", role));
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
    }

    @Test
    void tokenWithARoleThatIsNotAStringIsRefused() {
        String token = signed(JWT.create().withSubject("cust-1").withClaim("role", 3));
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "semi;colon", "slash/x", "ünï"})
    void tokenWithABadSubjectIsRefused(String subject) {
        String token = signed(JWT.create().withSubject(subject).withClaim("role", "customer"));
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
    }

    @Test
    void tokenWithoutSubjectOrWithAnOverlongOneIsRefused() {
        assertThrows(InvalidTokenException.class,
                () -> tokens.verify(signed(JWT.create().withClaim("role", "customer")), 0));
        assertThrows(InvalidTokenException.class,
                () -> tokens.verify(signed(JWT.create().withSubject("s".repeat(65)).withClaim("role", "customer")), 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 11})
    void staffTokenWithACapacityOutOfRangeIsRefused(int capacity) {
        String token = signed(JWT.create().withSubject("staff-1").withClaim("role", "staff").withClaim("capacity", capacity));
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
    }

    @Test
    void staffTokenWithSkillsThatAreNotAListOfStringsIsRefused() {
        String token = signed(JWT.create().withSubject("staff-1").withClaim("role", "staff").withClaim("skills", "accounts"));
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
    }

    @Test
    void customerTokenWithMaxPriorityOutOfRangeIsRefused() {
        String token = signed(JWT.create().withSubject("cust-1").withClaim("role", "customer").withClaim("maxPriority", 10));
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
    }

    @Test
    void nameDefaultsToTheSubject() throws Exception {
        String token = signed(JWT.create().withSubject("cust-1").withClaim("role", "customer"));
        assertEquals("cust-1", tokens.verify(token, 0).name());
    }

    @Test
    void mintingRefusesAnInvalidPrincipal() {
        assertThrows(IllegalArgumentException.class, () -> tokens.mint(
                new Principal(Subject.of("bad subject"), Role.CUSTOMER, "Li", Set.of(), Set.of(), 1, 0), TTL));
        assertThrows(IllegalArgumentException.class, () -> tokens.mint(
                new Principal(Subject.of("cust-1"), Role.CUSTOMER, " ", Set.of(), Set.of(), 1, 0), TTL));
        assertThrows(IllegalArgumentException.class, () -> tokens.mint(
                new Principal(Subject.of("cust-1"), Role.CUSTOMER, "n".repeat(81), Set.of(), Set.of(), 1, 0), TTL));
        assertThrows(IllegalArgumentException.class, () -> tokens.mint(
                new Principal(Subject.of("staff-1"), Role.STAFF, "Zhang", Set.of(), Set.of(), 11, 0), TTL));
    }

    @Test
    void skillsAndLanguagesAreReadAsSets() throws Exception {
        String token = signed(JWT.create().withSubject("staff-1").withClaim("role", "staff")
                .withClaim("skills", List.of("cards", "cards", "loans")).withClaim("languages", List.of("zh")));
        Principal p = tokens.verify(token, 0);
        assertEquals(Set.of("cards", "loans"), p.skills());
        assertEquals(Set.of("zh"), p.languages());
        assertEquals(1, p.capacity());
    }

    @Test
    void permissionsRoundTripForStaffAndSupervisors() throws Exception {
        for (Role role : List.of(Role.STAFF, Role.SUPERVISOR)) {
            Principal host = new Principal(Subject.of("host-1"), role, "Zhang Min", Set.of("cards"), Set.of("en"), 1, 0,
                    Set.of(Permission.LIVESTREAM));
            Principal read = tokens.verify(tokens.mint(host, TTL), 0);
            assertEquals(host, read);
            assertTrue(read.has(Permission.LIVESTREAM));
        }
    }

    @Test
    void aPrincipalWithoutPermissionsHasNone() throws Exception {
        Principal read = tokens.verify(tokens.mint(STAFF, TTL), 0);
        assertEquals(Set.of(), read.permissions());
        assertFalse(read.has(Permission.LIVESTREAM));
    }

    @Test
    void permissionsAreWrittenByTheirWireNames() {
        Principal host = new Principal(Subject.of("host-1"), Role.STAFF, "Zhang Min", Set.of(), Set.of(), 1, 0,
                Set.of(Permission.LIVESTREAM));
        assertEquals(List.of("livestream"), JWT.decode(tokens.mint(host, TTL)).getClaim("permissions").asList(String.class));
    }

    @Test
    void unknownPermissionNamesGrantNothingButDoNotVoidTheToken() throws Exception {
        String token = signed(JWT.create().withSubject("staff-1").withClaim("role", "staff")
                .withClaim("permissions", List.of("livestream", "broadcast-admin", "LIVESTREAM")));
        assertEquals(Set.of(Permission.LIVESTREAM), tokens.verify(token, 0).permissions());
    }

    @Test
    void permissionsThatAreNotAListOfStringsAreRefused() {
        String token = signed(JWT.create().withSubject("staff-1").withClaim("role", "staff")
                .withClaim("permissions", "livestream"));
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
    }

    @Test
    void customersAndViewersHoldNoPermissions() throws Exception {
        for (String role : List.of("customer", "viewer")) {
            String token = signed(JWT.create().withSubject("someone-1").withClaim("role", role)
                    .withClaim("permissions", List.of("livestream")));
            assertEquals(Set.of(), tokens.verify(token, 0).permissions(), role);
        }
        Principal customer = new Principal(Subject.of("cust-1"), Role.CUSTOMER, "Li", Set.of(), Set.of(), 1, 0,
                Set.of(Permission.LIVESTREAM));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tokens.mint(customer, TTL));
        assertEquals("permissions are for staff and supervisors only", e.getMessage());
    }

    @Test
    void aRegionClaimRoundTripsAndIsAbsentByDefault() throws Exception {
        Principal north = new Principal(Subject.of("cust-42"), Role.CUSTOMER, "Li Wei", Set.of(), Set.of(), 1, 0,
                Set.of(), false, "north-2");
        assertEquals("north-2", tokens.verify(tokens.mint(north, TTL), 0).region());
        assertEquals(null, tokens.verify(tokens.mint(CUSTOMER, TTL), 0).region());
        String nullRegion = signed(JWT.create().withSubject("cust-1").withClaim("role", "customer")
                .withNullClaim("region"));
        assertEquals(null, tokens.verify(nullRegion, 0).region());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "North", "north south", "-north", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "nörth", "a/b"})
    void aTokenWithABadRegionIsRefused(String region) {
        String token = signed(JWT.create().withSubject("cust-1").withClaim("role", "customer").withClaim("region", region));
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
        assertTrue(e.getMessage().contains("region"), e.getMessage());
    }

    @Test
    void aRegionThatIsNotAStringIsRefused() {
        String token = signed(JWT.create().withSubject("cust-1").withClaim("role", "customer").withClaim("region", 7));
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, 0));
    }

    @Test
    void theNodesRegionCountsOnlyWhenTheTokenNamesNone() {
        Principal named = CUSTOMER.inRegionUnlessNamed("south").inRegionUnlessNamed("north");
        assertEquals("south", named.region());
        assertEquals(null, CUSTOMER.inRegionUnlessNamed(null).region());
    }

    /** Signs with the right secret and issuer, valid now: only the claims under test are off. */
    private static String signed(com.auth0.jwt.JWTCreator.Builder builder) {
        return builder.withIssuer("livedesk").withIssuedAt(T0).withExpiresAt(T0.plus(TTL)).sign(Algorithm.HMAC256(SECRET));
    }
}
