package io.livedesk.bench.speech;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.livedesk.speech.engine.Decoder;
import io.livedesk.speech.engine.DecoderFactory;
import io.livedesk.testkit.audio.SyntheticAudio;

/**
 * The benchmark's audio: utterances of {@code voicedMs} with {@code silenceMs} after each, cut in
 * chunks of {@code chunkMs}, and what raw Vosk makes of it (where its endpoints fall).
 */
final class BenchAudio {
    final int sampleRate;
    final int chunkMs;
    final List<short[]> chunks;
    /** Chunk index at which each utterance's voiced stretch ends. */
    final List<Integer> voicedEnds = new ArrayList<>();
    final double seconds;

    BenchAudio(int sampleRate, int chunkMs, int seconds, int voicedMs, int silenceMs, long seed) {
        this.sampleRate = sampleRate;
        this.chunkMs = chunkMs;
        SyntheticAudio audio = new SyntheticAudio(sampleRate, seed);
        List<SyntheticAudio.Segment> script = new ArrayList<>();
        int at = 0;
        while (at + voicedMs + silenceMs <= seconds * 1000) {
            script.add(SyntheticAudio.voiced(voicedMs));
            script.add(SyntheticAudio.silence(silenceMs));
            voicedEnds.add((at + voicedMs) / chunkMs);
            at += voicedMs + silenceMs;
        }
        if (at < seconds * 1000) {
            script.add(SyntheticAudio.silence(seconds * 1000 - at));
        }
        this.chunks = audio.chunks(audio.render(script), chunkMs);
        this.seconds = seconds;
    }

    /**
     * What a direct Vosk integration (and vosk-server) does with each chunk: feed it, then take the
     * result at an endpoint or the partial otherwise; the final result at the end.
     *
     * @return the chunk indices at which the recognizer reported an endpoint with text
     */
    static List<Integer> decode(Decoder decoder, List<short[]> chunks) {
        List<Integer> endpoints = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            short[] c = chunks.get(i);
            if (decoder.accept(c, c.length)) {
                if (decoder.result().contains("\"word\"")) {
                    endpoints.add(i);
                }
            } else {
                decoder.partialResult();
            }
        }
        decoder.finalResult();
        return endpoints;
    }

    /** Raw Vosk's endpoints on this audio, from a fresh recognizer. */
    List<Integer> endpoints(DecoderFactory models, String language) throws IOException {
        try (Decoder d = models.open(language, sampleRate)) {
            return decode(d, chunks);
        }
    }
}
