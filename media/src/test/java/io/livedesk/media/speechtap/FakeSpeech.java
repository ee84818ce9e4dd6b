package io.livedesk.media.speechtap;

import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStatus;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A speech service whose streams recognise nothing by themselves: the test speaks for them through {@link
 * Stream#emit}. {@code finish} ends a stream with {@code Status(ENDED)}, as a real one does.
 */
public final class FakeSpeech implements SpeechService {
    public final List<Stream> streams = new CopyOnWriteArrayList<>();

    @Override
    public SpeechStream open(StreamSpec spec, TranscriptListener listener) {
        Stream s = new Stream(spec, listener);
        streams.add(s);
        return s;
    }

    @Override
    public SpeechStatus status() {
        int active = (int) streams.stream().filter(s -> !s.closed && !s.finished).count();
        return new SpeechStatus(SpeechStatus.State.READY, "fake", List.of("en"), active, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {
        streams.forEach(Stream::close);
    }

    public static final class Stream implements SpeechStream {
        public final StreamSpec spec;
        private final TranscriptListener listener;
        public volatile long samples;
        public volatile boolean finished;
        public volatile boolean closed;

        Stream(StreamSpec spec, TranscriptListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        public void emit(TranscriptEvent event) {
            listener.onEvent(event);
        }

        @Override
        public String id() {
            return "fake";
        }

        @Override
        public boolean accept(short[] pcm, int offset, int length) {
            samples += length;
            return !finished && !closed;
        }

        @Override
        public boolean accept(byte[] pcm16le, int offset, int length) {
            return accept(new short[length / 2], 0, length / 2);
        }

        @Override
        public void finish() {
            if (!finished && !closed) {
                finished = true;
                listener.onEvent(new TranscriptEvent.Status(TranscriptEvent.StreamState.ENDED, "finished"));
            }
        }

        @Override
        public long lagMillis() {
            return 40;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
