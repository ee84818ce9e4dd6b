package io.livedesk.speech.testing;

import java.io.IOException;
import java.util.List;

import io.livedesk.speech.api.RecognizerOptions;
import io.livedesk.speech.engine.Decoder;
import io.livedesk.speech.engine.DecoderFactory;

/**
 * The real models, made as slow as a real language model: each chunk also keeps the worker busy for
 * {@code rtf} x its duration. The synthetic model alone decodes 300 x faster than real time, so a
 * test could not otherwise overload a worker with a handful of streams.
 */
public final class SlowDecoders implements DecoderFactory {
    private final DecoderFactory inner;
    /** Changeable, so a test can make a machine slow for a while and then fast again. */
    private volatile double rtf;

    public SlowDecoders(DecoderFactory inner, double rtf) {
        this.inner = inner;
        this.rtf = rtf;
    }

    /** Recognizers opened from now on run at this real-time factor. */
    public void setRtf(double newRtf) {
        this.rtf = newRtf;
    }

    @Override
    public List<String> languages() {
        return inner.languages();
    }

    @Override
    public int minSampleRate(String language) {
        return inner.minSampleRate(language);
    }

    @Override
    public List<String> modelNames(String language) {
        return inner.modelNames(language);
    }

    @Override
    public Decoder open(String language, int sampleRate, RecognizerOptions options) throws IOException {
        Decoder d = inner.open(language, sampleRate, options);
        double slowness = rtf;
        return new Decoder() {
            @Override
            public boolean accept(short[] pcm, int length) {
                long until = System.nanoTime() + (long) (slowness * length * 1e9 / sampleRate);
                boolean endpoint = d.accept(pcm, length);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return endpoint;
            }

            @Override
            public String result() {
                return d.result();
            }

            @Override
            public String partialResult() {
                return d.partialResult();
            }

            @Override
            public String finalResult() {
                return d.finalResult();
            }

            @Override
            public void close() {
                d.close();
            }
        };
    }

    @Override
    public void close() {
        inner.close();
    }
}
