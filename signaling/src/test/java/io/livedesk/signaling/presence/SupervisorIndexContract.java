package io.livedesk.signaling.presence;

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
        index.add("sup-1");
        index.add("sup-2");
        index.add("sup-1");
        assertEquals(Set.of("sup-1", "sup-2"), index.all());
        index.remove("sup-1");
        index.remove("sup-1");
        index.remove("never-added");
        assertEquals(Set.of("sup-2"), index.all());
    }

    @Test
    void keepsIdsAsGiven() {
        index.add("主管-1");
        index.add("Sup:With:Colons");
        assertEquals(Set.of("主管-1", "Sup:With:Colons"), index.all());
    }
}
