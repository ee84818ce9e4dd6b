package io.livedesk.media.ice;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lite agent's decisions: who a check is for, whether to trust it, which address to send to, consent. */
class IceLiteTest {
    private static final long SECOND = 1_000_000_000L;
    private final IceLite ice = new IceLite();
    private final Object customer = new Object();
    private final IceLite.Path path = ice.register("brdg", "bridge-password-0123456789", "brws", customer);
    private final InetSocketAddress wifi = new InetSocketAddress("192.0.2.10", 50000);
    private final InetSocketAddress lte = new InetSocketAddress("198.51.100.7", 40000);
    private final byte[] out = new byte[StunBinding.MAX_RESPONSE];

    private IceLite.Handled check(String username, String password, InetSocketAddress from, boolean nominate, long now) {
        byte[] req = new byte[256];
        byte[] tid = new byte[12];
        ThreadLocalRandom.current().nextBytes(tid);
        int n = StunBinding.writeRequest(req, tid, username, 0x6e0001ffL, nominate, 42L, StunBinding.key(password));
        return ice.handle(req, 0, n, from, out, now);
    }

    @Test
    void aValidCheckIsAnsweredAndItsAddressThenBelongsToTheEndpoint() throws Exception {
        assertNull(ice.endpointAt(wifi), "no address before a check");
        IceLite.Handled h = check("brdg:brws", "bridge-password-0123456789", wifi, false, SECOND);
        assertEquals(IceLite.Outcome.ANSWERED, h.outcome());
        assertSame(path, h.path());
        StunBinding.Request response = StunBinding.read(out, 0, h.responseLength());
        assertEquals(StunBinding.BINDING_SUCCESS, response.type());
        assertTrue(StunBinding.verify(out, 0, h.responseLength(), response, StunBinding.key("bridge-password-0123456789")));
        assertEquals(wifi, StunBinding.mappedAddress(out, 0, h.responseLength()), "the browser learns its reflexive address");
        assertSame(customer, ice.endpointAt(wifi).owner());
        assertEquals(wifi, path.selected(), "valid, not yet nominated: the latest valid address");
        assertFalse(path.nominated());
    }

    @Test
    void theNominatedAddressWinsOverLaterUnnominatedChecks() {
        check("brdg:brws", "bridge-password-0123456789", wifi, false, SECOND);
        check("brdg:brws", "bridge-password-0123456789", lte, true, 2 * SECOND);
        assertEquals(lte, path.selected());
        assertTrue(path.nominated());
        check("brdg:brws", "bridge-password-0123456789", wifi, false, 3 * SECOND);
        assertEquals(lte, path.selected(), "a check on another pair does not move the nominated one");
        assertSame(path, ice.endpointAt(wifi), "both addresses passed a check");
    }

    @Test
    void wrongCredentialsAreNotAnsweredAndGainNoAddress() {
        assertEquals(IceLite.Outcome.BAD_INTEGRITY, check("brdg:brws", "guessed", wifi, true, SECOND).outcome());
        assertEquals(IceLite.Outcome.UNKNOWN_USER, check("nobody:brws", "bridge-password-0123456789", wifi, true, SECOND).outcome());
        assertEquals(IceLite.Outcome.UNKNOWN_USER, check("brdg:other", "bridge-password-0123456789", wifi, true, SECOND).outcome(),
                "the remote ufrag must be the endpoint's browser's");
        assertNull(ice.endpointAt(wifi));
        assertNull(path.selected());
        assertEquals(3, ice.refused());
        assertEquals(IceLite.Outcome.MALFORMED, ice.handle(new byte[] {0, 1, 0, 0}, 0, 4, wifi, out, SECOND).outcome());
    }

    @Test
    void aPeerThatAlsoThinksItIsControlledIsToldRoleConflict() {
        byte[] req = StunBindingTest.SAMPLE_REQUEST; // carries ICE-CONTROLLED, user evtj:h6vY
        IceLite lite = new IceLite();
        lite.register("evtj", "VOkJxbRl1RmTxUk/WvJxBt", "h6vY", customer);
        IceLite.Handled h = lite.handle(req, 0, req.length, wifi, out, SECOND);
        assertEquals(IceLite.Outcome.ROLE_CONFLICT, h.outcome());
        assertEquals(StunBinding.BINDING_ERROR, StunBinding.read(out, 0, h.responseLength()).type());
        assertNull(lite.endpointAt(wifi), "no address from a conflicting check");
    }

    @Test
    void consentLastsAsLongAsValidChecksKeepComing() {
        long timeout = 30 * SECOND;
        assertFalse(path.hasConsent(SECOND, timeout), "nothing checked yet");
        check("brdg:brws", "bridge-password-0123456789", wifi, true, SECOND);
        assertTrue(path.hasConsent(20 * SECOND, timeout));
        assertFalse(path.hasConsent(32 * SECOND, timeout), "no check for over 30 s: consent lost");
        check("brdg:brws", "bridge-password-0123456789", wifi, false, 33 * SECOND);
        assertTrue(path.hasConsent(40 * SECOND, timeout));
    }

    @Test
    void anUnregisteredEndpointIsNoLongerReachable() {
        check("brdg:brws", "bridge-password-0123456789", wifi, true, SECOND);
        ice.unregister(path);
        assertNull(ice.endpointAt(wifi));
        assertEquals(IceLite.Outcome.UNKNOWN_USER, check("brdg:brws", "bridge-password-0123456789", wifi, true, 2 * SECOND).outcome());
    }
}
