package io.livedesk.signaling.presence;

import io.livedesk.signaling.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link PresenceStore} contract; subclasses only provide the store. */
public abstract class PresenceStoreContract {

    static final long T0 = 1_700_000_000_000L;

    private PresenceStore store;

    /** A fresh, empty store for each test. */
    protected abstract PresenceStore createStore();

    /** Releases what {@link #createStore} opened. */
    protected void closeStore() {
    }

    @BeforeEach
    void setUp() {
        store = createStore();
    }

    @AfterEach
    void tearDown() {
        closeStore();
    }

    static StaffProfile profile(String id, int capacity) {
        return new StaffProfile(Subject.of(id), "Name of " + id, Set.of("loans", "cards"), Set.of("en", "zh"), capacity);
    }

    @Test
    void aNewMemberStartsAwayConnectedWithNoLoad() {
        StaffPresence p = store.connect(profile("s1", 2), T0);

        assertEquals(StaffStatus.AWAY, p.status());
        assertEquals(0, p.load());
        assertTrue(p.connected());
        assertEquals(T0, p.lastActivityMs());
        assertEquals(profile("s1", 2), p.profile());
        assertEquals(p, store.get(Subject.of("s1")).orElseThrow());
    }

    @Test
    void reconnectingKeepsStatusAndIdlePeriodAndTakesTheNewProfile() {
        store.connect(profile("s1", 1), T0);
        store.setStatus(Subject.of("s1"), StaffStatus.AVAILABLE, T0 + 10);
        store.disconnect(Subject.of("s1"), T0 + 20);

        StaffProfile changed = new StaffProfile(Subject.of("s1"), "New name", Set.of("fx"), Set.of("en"), 3);
        StaffPresence p = store.connect(changed, T0 + 30);

        assertEquals(StaffStatus.AVAILABLE, p.status());
        assertEquals(0, p.load());
        assertTrue(p.connected());
        assertEquals(T0 + 10, p.idleSinceMs());
        assertEquals(T0 + 30, p.lastActivityMs());
        assertEquals(changed, p.profile());
        assertEquals(p, store.get(Subject.of("s1")).orElseThrow());
    }

    @Test
    void disconnectKeepsStatusButIsNotRoutable() {
        store.connect(profile("s1", 1), T0);
        store.setStatus(Subject.of("s1"), StaffStatus.AVAILABLE, T0);
        assertTrue(store.get(Subject.of("s1")).orElseThrow().routable("loans", "en"));

        StaffPresence p = store.disconnect(Subject.of("s1"), T0 + 5).orElseThrow();

        assertFalse(p.connected());
        assertEquals(StaffStatus.AVAILABLE, p.status());
        assertFalse(p.routable("loans", "en"));
        assertEquals(p, store.get(Subject.of("s1")).orElseThrow());
    }

    @Test
    void disconnectOfAnUnknownMemberIsEmpty() {
        assertTrue(store.disconnect(Subject.of("nobody"), T0).isEmpty());
        assertTrue(store.get(Subject.of("nobody")).isEmpty());
    }

    @Test
    void becomingAvailableStartsANewIdlePeriodButChoosingItAgainDoesNot() {
        store.connect(profile("s1", 1), T0);

        assertEquals(T0 + 100, store.setStatus(Subject.of("s1"), StaffStatus.AVAILABLE, T0 + 100).orElseThrow().idleSinceMs());
        assertEquals(T0 + 100, store.setStatus(Subject.of("s1"), StaffStatus.AVAILABLE, T0 + 200).orElseThrow().idleSinceMs());

        store.setStatus(Subject.of("s1"), StaffStatus.AWAY, T0 + 300);
        StaffPresence back = store.setStatus(Subject.of("s1"), StaffStatus.AVAILABLE, T0 + 400).orElseThrow();
        assertEquals(T0 + 400, back.idleSinceMs());
        assertEquals(StaffStatus.AVAILABLE, back.effectiveStatus());
    }

    @Test
    void awayAndOfflineAreStoredAndNotRoutable() {
        store.connect(profile("s1", 1), T0);
        assertEquals(StaffStatus.AWAY, store.setStatus(Subject.of("s1"), StaffStatus.AWAY, T0).orElseThrow().status());
        assertFalse(store.get(Subject.of("s1")).orElseThrow().routable("loans", "en"));
        StaffPresence offline = store.setStatus(Subject.of("s1"), StaffStatus.OFFLINE, T0).orElseThrow();
        assertEquals(StaffStatus.OFFLINE, offline.status());
        assertFalse(offline.routable("loans", "en"));
    }

    @Test
    void busyCannotBeChosen() {
        store.connect(profile("s1", 1), T0);
        assertThrows(IllegalArgumentException.class, () -> store.setStatus(Subject.of("s1"), StaffStatus.BUSY, T0));
        assertThrows(IllegalArgumentException.class, () -> store.setStatus(Subject.of("nobody"), StaffStatus.BUSY, T0));
        assertEquals(StaffStatus.AWAY, store.get(Subject.of("s1")).orElseThrow().status());
    }

    @Test
    void setStatusOfAnUnknownMemberIsEmpty() {
        assertTrue(store.setStatus(Subject.of("nobody"), StaffStatus.AVAILABLE, T0).isEmpty());
        assertTrue(store.get(Subject.of("nobody")).isEmpty());
    }

    @Test
    void touchRecordsActivityOfKnownMembersOnly() {
        store.connect(profile("s1", 1), T0);
        store.touch(Subject.of("s1"), T0 + 500);
        assertEquals(T0 + 500, store.get(Subject.of("s1")).orElseThrow().lastActivityMs());

        store.touch(Subject.of("nobody"), T0);
        assertTrue(store.get(Subject.of("nobody")).isEmpty());
    }

    @Test
    void listHasEveryMemberIncludingOfflineUntilRemoved() {
        store.connect(profile("s1", 1), T0);
        store.connect(profile("s2", 1), T0);
        store.setStatus(Subject.of("s2"), StaffStatus.OFFLINE, T0);

        List<String> ids = store.list().stream().map(p -> p.id().value()).sorted().toList();
        assertEquals(List.of("s1", "s2"), ids);

        store.remove(Subject.of("s2"));
        assertEquals(List.of(Subject.of("s1")), store.list().stream().map(StaffPresence::id).toList());
        assertTrue(store.get(Subject.of("s2")).isEmpty());
        store.remove(Subject.of("nobody"));
    }

    @Test
    void listReturnsFullPresences() {
        StaffPresence p = store.connect(profile("s1", 2), T0);
        assertEquals(List.of(p), store.list());
    }

    @Test
    void aRemovedMemberComesBackAsNew() {
        store.connect(profile("s1", 1), T0);
        store.setStatus(Subject.of("s1"), StaffStatus.AVAILABLE, T0);
        store.remove(Subject.of("s1"));

        assertEquals(StaffStatus.AWAY, store.connect(profile("s1", 1), T0 + 1).status());
    }
}
