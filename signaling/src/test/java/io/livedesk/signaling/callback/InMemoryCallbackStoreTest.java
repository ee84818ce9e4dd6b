package io.livedesk.signaling.callback;

import io.livedesk.signaling.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryCallbackStoreTest extends CallbackStoreContract {
    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0));

    @Override
    protected CallbackStore createStore() {
        return new InMemoryCallbackStore(clock, Duration.ofDays(1));
    }

    @Override
    protected void closeStore() {
    }

    @Test
    void aClosedRequestGoesAfterTheRetention() {
        CallbackRequest r = request(LI, T0);
        store.create(r);
        store.close(r.id(), ZHANG, true, CallbackOutcome.REACHED, "", T0);
        clock.advance(Duration.ofHours(23));
        assertTrue(store.get(r.id()).isPresent());
        clock.advance(Duration.ofHours(2));
        assertEquals(Optional.empty(), store.get(r.id()));
    }
}
