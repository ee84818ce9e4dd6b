package io.livedesk.signaling.presence;

import io.livedesk.signaling.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@link SupervisorIndex} contract; subclasses only provide the index. */
public abstract class SupervisorIndexContract {

    private SupervisorIndex index;

    /** A fresh, empty index for each test. */
    protected abstract SupervisorIndex createIndex();

    protected void closeIndex() {
    }

    @BeforeEach
    void setUp() {
        index = createIndex();
    }

    @AfterEach
    void tearDown() {
        closeIndex();
    }

    @Test
    void startsEmpty() {
        assertEquals(Set.of(), index.all());
    }

    @Test
    void addsAndRemovesIdempotently() {
        index.add(Subject.of("sup-1"));
        index.add(Subject.of("sup-2"));
        index.add(Subject.of("sup-1"));
        assertEquals(Set.of(Subject.of("sup-1"), Subject.of("sup-2")), index.all());
        index.remove(Subject.of("sup-1"));
        index.remove(Subject.of("sup-1"));
        index.remove(Subject.of("never-added"));
        assertEquals(Set.of(Subject.of("sup-2")), index.all());
    }

    @Test
    void keepsIdsAsGiven() {
        index.add(Subject.of("sup_1@bank.example"));
        index.add(Subject.of("Sup:With:Colons"));
        assertEquals(Set.of(Subject.of("sup_1@bank.example"), Subject.of("Sup:With:Colons")), index.all());
    }
}
