package io.livedesk.bench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTest {

    @Test
    void readsTheRetryAfterOfAnOverloadedAnswer() {
        String overloaded = "{\"type\":\"error\",\"id\":\"h\",\"code\":\"overloaded\",\"message\":\"the server is busy; try again\","
                + "\"retryAfterMs\":1500}";
        assertEquals("overloaded", Json.str(overloaded, Json.CODE));
        assertEquals(1500, Json.number(overloaded, Json.RETRY_AFTER_MS));
    }

    @Test
    void aMissingOrEmptyNumberIsMinusOne() {
        assertEquals(-1, Json.number("{\"type\":\"error\",\"code\":\"forbidden\"}", Json.RETRY_AFTER_MS));
        assertEquals(-1, Json.number("{\"retryAfterMs\":null}", Json.RETRY_AFTER_MS));
    }
}
