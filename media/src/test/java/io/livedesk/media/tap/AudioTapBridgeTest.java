package io.livedesk.media.tap;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.bridge.BridgeHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The required end-to-end check: a sine, Opus-encoded by Concentus at 48 kHz in 20 ms frames at
 * 32 kbps, in RTP, SRTP-protected by a synthetic browser and received by the real bridge (SRTP
 * unprotect, endpoint receiver, SSRC routing, forwarding), comes out of the audio tap as 16 kHz PCM
 * with its frequency and level, and with media time that follows the RTP timestamps.
 */
class AudioTapBridgeTest {
    private static final MeetingId MEETING = new MeetingId("m1");
    private static final int SPEAKER_SSRC = 0x51515151;
    private static final int LISTENER_SSRC = 0x52525252;
    private static final int RATE = 16_000;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BridgeHarness harness = new BridgeHarness("tap-it");

    @AfterEach
    void close() {
        harness.close();
    }

    /** Sends {@code n} packets of {@code source}, letting the tap catch up every 20 so its queue never fills. */
    private static void send(BridgeHarness.Browser browser, OpusSource source, AudioTap tap, int n) {
        for (int i = 0; i < n; i++) {
            browser.send(source.nextRtp());
            if (i % 20 == 19 || i == n - 1) {
                await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                        .until(() -> tap.stats().decoded() + tap.stats().decodeErrors() + tap.stats().dropped()
                                >= tap.stats().tapped() - tap.stats().ignored());
            }
        }
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {440, 1000})
    void aSineThroughTheBridgeKeepsItsFrequencyAndLevel(int hz) throws Exception {
        BridgeHarness.Browser speaker = harness.join(MEETING, "speaker", SPEAKER_SSRC, 111);
        BridgeHarness.Browser listener = harness.join(MEETING, "listener", LISTENER_SSRC, 111);
        RecordingSink sink = new RecordingSink();
        AudioTap tap = harness.bridge.tapAudio(MEETING, "speaker", RATE, sink);

        send(speaker, new OpusSource(SPEAKER_SSRC, 111, hz, -12, 32_000, hz), tap, 150); // 3 s

        short[] pcm = sink.pcmFrom(500); // after the codec's warm-up
        assertTrue(pcm.length >= 2.4 * RATE, "samples after warm-up: " + pcm.length);
        double measured = Tones.dominantHz(pcm, 0, pcm.length, RATE);
        double level = Tones.levelDb(pcm, 0, pcm.length, -12);
        assertEquals(hz, measured, hz * 0.02, "dominant frequency");
        assertEquals(0, level, 2, "level against the -12 dBFS input, dB");
        AudioTapStats s = tap.stats();
        assertEquals(150, s.tapped(), s.toString());
        assertEquals(150, s.decoded(), s.toString());
        assertEquals(0, s.dropped() + s.decodeErrors() + s.lost() + s.late() + s.silenceMs(), s.toString());
        assertEquals(150, listener.link.rtp.get(), "forwarding carried on as before");
        assertEquals(3 * RATE, sink.samples(), 100, "3 s of audio, less the resampler's delay");
        System.out.printf("%d Hz through the bridge: measured %.2f Hz, level %+.2f dB, %s%n", hz, measured, level, s);
    }

    @ParameterizedTest(name = "a {0} ms pause")
    @CsvSource({"1000, 1000", "5000, 2000"})
    void mediaTimeFollowsTheRtpTimestampsAcrossAPause(int pauseMs, int silenceMs) throws Exception {
        BridgeHarness.Browser speaker = harness.join(MEETING, "speaker", SPEAKER_SSRC, 111);
        RecordingSink sink = new RecordingSink();
        AudioTap tap = harness.bridge.tapAudio(MEETING, "speaker", RATE, sink);
        OpusSource source = new OpusSource(SPEAKER_SSRC, 111, 1000, -12, 32_000, 9);

        send(speaker, source, tap, 50); // 1 s of tone
        source.pause(pauseMs * 48); // the sender stops (DTX, mute), sequence numbers continue
        send(speaker, source, tap, 50); // 1 s more

        // The first loud frame after the quiet stretch starts where the RTP timestamps put it.
        List<RecordingSink.Frame> frames = sink.frames();
        long resumedAt = -1;
        boolean quiet = false;
        for (RecordingSink.Frame f : frames) {
            double rms = Tones.rms(f.pcm(), 0, f.pcm().length);
            if (f.mediaTimeMs() > 500 && rms < 10) {
                quiet = true;
            } else if (quiet && rms > 1000) {
                resumedAt = f.mediaTimeMs();
                break;
            }
        }
        assertEquals(1000 + pauseMs, resumedAt, 30, "media time when the tone resumes");
        AudioTapStats s = tap.stats();
        assertEquals(silenceMs, s.silenceMs(), "silence inserted, capped at 2 s");
        assertEquals(0, s.lost(), "a pause is not loss");
        // Samples delivered: 2 s of tone plus the silence (a pause beyond the cap is skipped, not filled).
        assertEquals((2000 + silenceMs) * (RATE / 1000), sink.samples(), 100);
        long lastMs = frames.get(frames.size() - 1).mediaTimeMs();
        assertEquals(2000 + pauseMs, lastMs, 40, "the last frame's media time");
    }

    @Test
    void theEndpointsNegotiatedOpusPayloadTypeIsDecodedAndOthersIgnored() throws Exception {
        // Firefox offers Opus as 109.
        BridgeHarness.Browser speaker = harness.join(MEETING, "firefox", SPEAKER_SSRC, 109);
        RecordingSink sink = new RecordingSink();
        AudioTap tap = harness.bridge.tapAudio(MEETING, "firefox", RATE, sink);
        send(speaker, new OpusSource(SPEAKER_SSRC, 109, 440, -12, 32_000, 10), tap, 10);
        assertEquals(10, tap.stats().decoded());

        BridgeHarness.Browser chromium = harness.join(MEETING, "other", LISTENER_SSRC, -1);
        AudioTap defaultTap = harness.bridge.tapAudio(MEETING, "other", RATE, new RecordingSink());
        OpusSource pt109 = new OpusSource(LISTENER_SSRC, 109, 440, -12, 32_000, 11);
        for (int i = 0; i < 5; i++) {
            chromium.send(pt109.nextRtp());
        }
        // Without medias in its request the endpoint is assumed to use the bridge's own Opus (111).
        await().atMost(WAIT).until(() -> defaultTap.stats().ignored() == 5);
        assertEquals(0, defaultTap.stats().decoded());
    }

    @Test
    void tappingWhatDoesNotExistFails() throws Exception {
        harness.join(MEETING, "speaker", SPEAKER_SSRC, 111);
        RecordingSink sink = new RecordingSink();
        assertThrows(BridgeException.NotFound.class, () -> harness.bridge.tapAudio(new MeetingId("nope"), "speaker", RATE, sink));
        assertThrows(BridgeException.NotFound.class, () -> harness.bridge.tapAudio(MEETING, "nobody", RATE, sink));
        assertThrows(BridgeException.NotFound.class, () -> harness.bridge.tapAudio(null, null, RATE, sink));
        assertThrows(BridgeException.BadRequest.class, () -> harness.bridge.tapAudio(MEETING, "speaker", 12_345, sink));
        assertThrows(BridgeException.BadRequest.class, () -> harness.bridge.tapAudio(MEETING, "speaker", 96_000, sink));
        assertThrows(BridgeException.BadRequest.class, () -> harness.bridge.tapAudio(MEETING, "speaker", RATE, null));
        harness.expireEndpoint(MEETING, "speaker");
        assertThrows(BridgeException.NotFound.class, () -> harness.bridge.tapAudio(MEETING, "speaker", RATE, sink));
        assertEquals(0, harness.bridge.openAudioTaps());
    }
}
