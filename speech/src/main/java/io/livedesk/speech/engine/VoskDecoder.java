package io.livedesk.speech.engine;

import org.vosk.Recognizer;

/** A {@link Decoder} over libvosk's recognizer. */
final class VoskDecoder implements Decoder {
    private final Recognizer recognizer;
    private boolean closed;

    VoskDecoder(Recognizer recognizer) {
        this.recognizer = recognizer;
    }

    @Override
    public boolean accept(short[] pcm, int length) {
        return recognizer.acceptWaveForm(pcm, length);
    }

    @Override
    public String result() {
        return recognizer.getResult();
    }

    @Override
    public String partialResult() {
        return recognizer.getPartialResult();
    }

    @Override
    public String finalResult() {
        return recognizer.getFinalResult();
    }

    @Override
    public void close() {
        // Recognizer.close() frees native memory; a second free would crash the process.
        if (!closed) {
            closed = true;
            recognizer.close();
        }
    }
}
