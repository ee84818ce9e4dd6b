package io.livedesk.speech.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.livedesk.speech.api.RecognizerOptions;
import io.livedesk.speech.engine.Decoder;
import io.livedesk.speech.engine.DecoderFactory;

/** Wraps the real models and counts native recognizers created and freed, and the threads that used them. */
public final class CountingDecoders implements DecoderFactory {
    private final DecoderFactory inner;
    public final AtomicInteger opened = new AtomicInteger();
    public final AtomicInteger closed = new AtomicInteger();
    public final AtomicInteger factoryClosed = new AtomicInteger();
    /** What the last recognizer was asked for (alternatives, phrase list). */
    public volatile RecognizerOptions lastOptions;
    /** Set when a recognizer call ran on a thread not named ld-speech-*. */
    public volatile String foreignThread;

    public CountingDecoders(DecoderFactory inner) {
        this.inner = inner;
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
        check();
        Decoder d = inner.open(language, sampleRate, options);
        lastOptions = options;
        opened.incrementAndGet();
        return new Decoder() {
            private boolean done;

            @Override
            public boolean accept(short[] pcm, int length) {
                check();
                return d.accept(pcm, length);
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
                check();
                return d.finalResult();
            }

            @Override
            public void close() {
                check();
                if (!done) {
                    done = true;
                    closed.incrementAndGet();
                }
                d.close();
            }
        };
    }

    private void check() {
        String name = Thread.currentThread().getName();
        if (!name.startsWith("ld-speech-")) {
            foreignThread = name;
        }
    }

    @Override
    public void close() {
        factoryClosed.incrementAndGet();
        inner.close();
    }
}
