package io.livedesk.signaling.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.testkit.audio.SyntheticAudio;
import io.livedesk.testkit.browser.Chromium;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The microphones of a transcribed call in Chromium, shared by the browser transcription tests: the customer's is a
 * 48 kHz WAV of voiced stretches between silences (the test model says {@code speech} for each), the staff member's
 * is silent, so only the customer speaks. Also what the staff desk shows as captions. Closing deletes the files.
 */
final class SpokenCall implements AutoCloseable {
    private static final String CAPTIONS = "return window.LiveDeskDesk && window.LiveDeskDesk.captions ? "
            + "JSON.stringify(window.LiveDeskDesk.captions()) : '[]';";

    private final Path dir;
    private final Path speech;
    private final Path silence;

    private SpokenCall(Path dir, Path speech, Path silence) {
        this.dir = dir;
        this.speech = speech;
        this.silence = silence;
    }

    static SpokenCall create() throws IOException {
        Path dir = Files.createTempDirectory("ld-speech-audio-");
        return new SpokenCall(dir, writeSpeechWav(dir.resolve("customer-48k.wav")),
                writeWav(dir.resolve("staff-silent-48k.wav"), new short[48_000 * 3]));
    }

    /** Chromium's arguments for the staff page (first) and the customer's (second). */
    List<List<String>> staffAndCustomerArguments() {
        return List.of(List.of("--use-file-for-fake-audio-capture=" + silence),
                List.of("--use-file-for-fake-audio-capture=" + speech));
    }

    /** The synthetic Vosk model in the test resources (it says {@code speech} for each voiced stretch). */
    static Path testModel() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(SpokenCall.class.getResource("/vosk-energy-model")).toURI());
    }

    /** The captions on the staff desk attributed to the customer, oldest first. */
    static List<JsonNode> customerCaptions(Chromium staff) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper().readTree(String.valueOf(staff.js(CAPTIONS))).forEach(c -> {
            if ("customer".equals(c.path("speaker").asText())) {
                out.add(c);
            }
        });
        return out;
    }

    /** How many final captions of the customer's on the staff desk have the model's word. */
    static long finalCustomerCaptions(Chromium staff) throws IOException {
        return customerCaptions(staff).stream()
                .filter(c -> c.path("final").asBoolean() && c.path("text").asText().contains("speech")).count();
    }

    /** The lines of the call's transcript (REST, as a supervisor) spoken by the customer, oldest first. */
    static List<JsonNode> customerLines(JsonNode transcript) {
        List<JsonNode> out = new ArrayList<>();
        transcript.path("lines").forEach(l -> {
            if ("customer".equals(l.path("speaker").asText())) {
                out.add(l);
            }
        });
        return out;
    }

    /** The call's transcript read through the REST API as a supervisor. */
    static JsonNode transcript(CallPages pages, String callId) throws Exception {
        return new ObjectMapper().readTree(pages.get("/api/calls/" + callId + "/transcript", pages.supervisorToken()));
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(speech);
        Files.deleteIfExists(silence);
        Files.deleteIfExists(dir);
    }

    /**
     * A 48 kHz mono WAV (what Chromium's fake capture plays, in a loop): voiced stretches between
     * silences, as a speaker pauses between sentences.
     */
    static Path writeSpeechWav(Path file) throws IOException {
        SyntheticAudio audio = new SyntheticAudio(48_000, 7);
        List<SyntheticAudio.Segment> script = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            script.add(SyntheticAudio.voiced(1_400));
            script.add(SyntheticAudio.silence(1_600));
        }
        return writeWav(file, audio.render(script));
    }

    /** A 48 kHz mono PCM16 WAV file. */
    static Path writeWav(Path file, short[] pcm) throws IOException {
        ByteBuffer wav = ByteBuffer.allocate(44 + pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + pcm.length * 2).put("WAVE".getBytes());
        wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(48_000)
                .putInt(48_000 * 2).putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes()).putInt(pcm.length * 2);
        for (short s : pcm) {
            wav.putShort(s);
        }
        return Files.write(file, wav.array());
    }
}
