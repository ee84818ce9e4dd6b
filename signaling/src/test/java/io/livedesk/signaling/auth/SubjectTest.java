package io.livedesk.signaling.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SubjectTest {

    @ParameterizedTest
    @ValueSource(strings = {"cust-wei", "li.wei@bank.example", "Sup:With:Colons", "a_b"})
    void whatATokenMayCarryIsASubject(String raw) {
        assertEquals(raw, Subject.of(raw).value());
        assertEquals(Optional.of(Subject.of(raw)), Subject.parse(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "li wei", "主管", "a/b", "x\n"})
    void anythingElseIsRefused(String raw) {
        assertThrows(IllegalArgumentException.class, () -> Subject.of(raw));
        assertEquals(Optional.empty(), Subject.parse(raw));
    }

    @Test
    void atMost64Characters() {
        Subject.of("s".repeat(64));
        assertThrows(IllegalArgumentException.class, () -> Subject.of("s".repeat(65)));
    }

    @Test
    void inJsonItIsItsPlainString() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals("\"cust-wei\"", json.writeValueAsString(Subject.of("cust-wei")));
        assertEquals(Subject.of("cust-wei"), json.readValue("\"cust-wei\"", Subject.class));
    }
}
