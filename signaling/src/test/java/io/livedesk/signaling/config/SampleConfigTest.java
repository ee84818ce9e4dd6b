package io.livedesk.signaling.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sample operators start from (deploy/livedesk.conf.sample) is a configuration the node accepts. */
class SampleConfigTest {
    @Test
    void theDeploySampleLoadsAndValidates() {
        LiveDeskConfig c = LiveDeskConfig.load(Path.of("..", "deploy", "livedesk.conf.sample"));
        assertTrue(c.calls().bridged());
        assertEquals(10000, c.bridge().port());
        assertEquals("vosk-model-small-en-us-0.15", c.speech().engine().models().get("en"));
        assertEquals(3, c.speech().alerts().size());
    }
}
