package io.livedesk.media.tap;

import io.livedesk.media.api.MeetingId;
import io.livedesk.media.bridge.BridgeHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Taps end with whatever they belong to: closed by their owner, with their endpoint, with their
 * conference, with the bridge. Each sink hears {@code onClose} once, the bridge's tap count returns to
 * 0, packets stop reaching closed taps, and no tap thread outlives the bridge.
 */
class AudioTapLeakTest {
    private static final int RATE = 16_000;
    private static final MeetingId M1 = new MeetingId("m1");
    private static final MeetingId M2 = new MeetingId("m2");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void tapsEndWithTheirOwnerEndpointConferenceAndBridge() throws Exception {
        String threadPrefix;
        List<RecordingSink> sinks = new ArrayList<>();
        try (BridgeHarness harness = new BridgeHarness("tap-leak")) {
            threadPrefix = "ld-audio-tap-" + harness.bridgeId + "-";
            var bridge = harness.bridge;
            BridgeHarness.Browser a = harness.join(M1, "a", 1001, 111);
            BridgeHarness.Browser b = harness.join(M1, "b", 1002, 111);
            BridgeHarness.Browser c = harness.join(M1, "c", 1003, 111);
            BridgeHarness.Browser d = harness.join(M2, "d", 1004, 111);
            OpusSource sa = new OpusSource(1001, 111, 440, -12, 32_000, 1);
            OpusSource sb = new OpusSource(1002, 111, 440, -12, 32_000, 2);
            OpusSource sc = new OpusSource(1003, 111, 440, -12, 32_000, 3);
            OpusSource sd = new OpusSource(1004, 111, 440, -12, 32_000, 4);

            for (int round = 0; round < 3; round++) {
                RecordingSink sinkA = new RecordingSink();
                RecordingSink sinkB = new RecordingSink();
                RecordingSink sinkC1 = new RecordingSink();
                RecordingSink sinkC2 = new RecordingSink();
                sinks.addAll(List.of(sinkA, sinkB, sinkC1, sinkC2));
                AudioTap tapA = bridge.tapAudio(M1, "a", RATE, sinkA);
                AudioTap tapB = bridge.tapAudio(M1, "b", RATE, sinkB);
                AudioTap tapC1 = bridge.tapAudio(M1, "c", RATE, sinkC1);
                AudioTap tapC2 = bridge.tapAudio(M1, "c", 8_000, sinkC2); // two taps on one endpoint
                assertEquals(4, bridge.openAudioTaps());
                for (int i = 0; i < 10; i++) {
                    a.send(sa.nextRtp());
                    b.send(sb.nextRtp());
                    c.send(sc.nextRtp());
                }
                await().atMost(WAIT).until(() -> tapA.stats().decoded() == 10 && tapB.stats().decoded() == 10
                        && tapC1.stats().decoded() == 10 && tapC2.stats().decoded() == 10);

                // Closed by its owner: the endpoint stops feeding it at once.
                tapA.close();
                assertTrue(sinkA.closed.await(20, TimeUnit.SECONDS));
                a.send(sa.nextRtp());
                assertEquals(10, tapA.stats().tapped());
                await().atMost(WAIT).until(() -> bridge.openAudioTaps() == 3);

                if (round == 0) {
                    // With its endpoint.
                    harness.expireEndpoint(M1, "b");
                    assertTrue(sinkB.closed.await(20, TimeUnit.SECONDS));
                    await().atMost(WAIT).until(() -> bridge.openAudioTaps() == 2);
                    b = harness.join(M1, "b", 1002, 111);
                    sb = new OpusSource(1002, 111, 440, -12, 32_000, 5);
                } else {
                    tapB.close();
                }
                // With its conference (both taps of c), then everything is rebuilt for the next round.
                bridge.expire(M1);
                assertTrue(sinkC1.closed.await(20, TimeUnit.SECONDS));
                assertTrue(sinkC2.closed.await(20, TimeUnit.SECONDS));
                await().atMost(WAIT).until(() -> bridge.openAudioTaps() == 0);
                a = harness.join(M1, "a", 1001, 111);
                b = harness.join(M1, "b", 1002, 111);
                c = harness.join(M1, "c", 1003, 111);
                sa = new OpusSource(1001, 111, 440, -12, 32_000, 6);
                sb = new OpusSource(1002, 111, 440, -12, 32_000, 7);
                sc = new OpusSource(1003, 111, 440, -12, 32_000, 8);
            }

            // With the bridge: a tap still open when it closes.
            RecordingSink sinkD = new RecordingSink();
            sinks.add(sinkD);
            AudioTap tapD = bridge.tapAudio(M2, "d", RATE, sinkD);
            d.send(sd.nextRtp());
            await().atMost(WAIT).until(() -> tapD.stats().decoded() == 1);
            AudioTapStats totals = bridge.audioTapStats();
            assertEquals(3 * 40 + 1, totals.decoded(), "totals keep the counts of finished taps: " + totals);
        }
        for (RecordingSink sink : sinks) {
            assertEquals(1, sink.closes.get(), "every sink is told once");
        }
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith(threadPrefix)));
    }
}
