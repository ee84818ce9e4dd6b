package io.livedesk.signaling.media;

import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.sdp.ForwardedTrack;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link CallMediaStore} contract; subclasses only provide the store. */
public abstract class CallMediaStoreContract {

    static final CallId CALL = CallId.of("r-media-1");

    private CallMediaStore store;

    /** A fresh, empty store for each test. */
    protected abstract CallMediaStore createStore();

    protected void closeStore() {
    }

    /** The store of the running test. */
    protected CallMediaStore store() {
        return store;
    }

    @BeforeEach
    void setUp() {
        store = createStore();
    }

    @AfterEach
    void tearDown() {
        closeStore();
    }

    static CallMediaState.LegState leg(String endpointId, String subject, long version) {
        TransportDescription bridgeSide = new TransportDescription("brUf", "bridgepassword0123456789",
                List.of(new TransportDescription.Fingerprint("sha-256", "AA:BB:CC", SetupRole.PASSIVE)),
                List.of(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "192.0.2.10", 10000, "host")),
                true, true);
        ForwardedTrack own = new ForwardedTrack(MediaType.AUDIO, "stream-" + subject, "t-" + subject, "c", 1001, null);
        ForwardedTrack other = new ForwardedTrack(MediaType.VIDEO, "stream-x", "tx", "cx", 2002, 2003L);
        return new CallMediaState.LegState(endpointId, Subject.of(subject), BridgeLegs.Mode.PARTICIPANT,
                "4611731400430051336", version, "ufrag-" + subject, "3A:1F:0C", bridgeSide, 360, List.of(own),
                List.of(other));
    }

    static CallMediaState state(String node, long revision, CallMediaState.LegState... legs) {
        return new CallMediaState(CALL, CALL.value(), node, "127.0.0.1:9000", revision,
                Map.of("customer", 1, "staff", 2), List.of(legs), "north");
    }

    @Test
    void nothingIsStoredAtFirst() {
        assertEquals(Optional.empty(), store.get(CALL));
    }

    @Test
    void theFirstWriteExpectsNothingAndReadsBackWhole() {
        CallMediaState first = state("node-a", 1, leg("customer", "cust-1", 2), leg("staff-2", "staff-1", 3));
        assertTrue(store.compareAndSet(0, first));
        assertEquals(Optional.of(first), store.get(CALL));
    }

    @Test
    void aWriteLandsOnlyOverTheRevisionItExpects() {
        assertTrue(store.compareAndSet(0, state("node-a", 1, leg("customer", "cust-1", 2))));
        assertFalse(store.compareAndSet(0, state("node-b", 1)), "something is stored: expecting none fails");
        CallMediaState second = state("node-a", 2, leg("customer", "cust-1", 3));
        assertTrue(store.compareAndSet(1, second));
        assertFalse(store.compareAndSet(1, state("node-b", 2)), "a stale revision fails");
        assertEquals(Optional.of(second), store.get(CALL));
    }

    @Test
    void aRevisionMustFollowTheExpectedOne() {
        assertThrows(IllegalArgumentException.class, () -> store.compareAndSet(0, state("node-a", 2)));
        assertThrows(IllegalArgumentException.class, () -> store.compareAndSet(3, state("node-a", 3)));
    }

    @Test
    void ofTwoNodesWritingOverTheSameRevisionExactlyOneWins() throws Exception {
        assertTrue(store.compareAndSet(0, state("node-a", 1)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Boolean>> writers = new ArrayList<>();
            for (String node : List.of("node-b", "node-c")) {
                writers.add(() -> store.compareAndSet(1, state(node, 2)));
            }
            int won = 0;
            for (Future<Boolean> f : pool.invokeAll(writers)) {
                won += f.get() ? 1 : 0;
            }
            assertEquals(1, won);
            assertEquals(2, store.get(CALL).orElseThrow().revision());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void removingForgetsTheCallAndANewStateStartsAgainFromNothing() {
        assertTrue(store.compareAndSet(0, state("node-a", 1)));
        store.remove(CALL);
        assertEquals(Optional.empty(), store.get(CALL));
        store.remove(CALL); // twice: no-op
        assertTrue(store.compareAndSet(0, state("node-b", 1)));
    }

    @Test
    void callsAreKeptApart() {
        CallId other = CallId.of("r-media-2");
        assertTrue(store.compareAndSet(0, state("node-a", 1)));
        CallMediaState theirs = new CallMediaState(other, other.value(), "node-b", null, 1, Map.of(), List.of());
        assertTrue(store.compareAndSet(0, theirs));
        assertEquals(Optional.of(theirs), store.get(other));
        assertEquals("node-a", store.get(CALL).orElseThrow().node());
    }
}
