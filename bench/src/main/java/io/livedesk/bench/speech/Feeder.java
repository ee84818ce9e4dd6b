package io.livedesk.bench.speech;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import io.livedesk.speech.api.ResultMode;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptEvent.Status;
import io.livedesk.speech.api.TranscriptEvent.StreamState;

/**
 * Feeds the same audio to many streams as fast as the service answers, the way vosk-server clients
 * pace themselves: each stream has at most {@code window} chunks without a reply (PER_CHUNK mode:
 * one reply per chunk). One feeder thread; listeners wake it.
 */
final class Feeder {
    private Feeder() {
    }

    /** Runs every stream to its end; throws if any did not end normally. */
    static void run(SpeechService service, String language, BenchAudio audio, int streams, int window, Duration timeout)
            throws Exception {
        Thread feeder = Thread.currentThread();
        AtomicIntegerArray answered = new AtomicIntegerArray(streams);
        CountDownLatch ended = new CountDownLatch(streams);
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<SpeechStream> open = new ArrayList<>();
        int refill = Math.max(1, window / 2);
        for (int i = 0; i < streams; i++) {
            int index = i;
            open.add(service.open(new StreamSpec(language, audio.sampleRate, "bench-" + i, true, ResultMode.PER_CHUNK),
                    (TranscriptEvent e) -> {
                        if (e instanceof Status s) {
                            if (s.state() != StreamState.ENDED) {
                                failures.add(s.toString());
                            }
                            ended.countDown();
                            LockSupport.unpark(feeder);
                        } else if (answered.incrementAndGet(index) % refill == 0) {
                            // Wake the feeder when half a window is free, not on every reply: the
                            // feeder's own wake-ups would otherwise be counted as pipeline cost.
                            LockSupport.unpark(feeder);
                        }
                    }));
        }
        int[] sent = new int[streams];
        int total = audio.chunks.size();
        int done = 0;
        while (done < streams) {
            boolean progress = false;
            done = 0;
            for (int i = 0; i < streams; i++) {
                while (sent[i] < total && sent[i] - answered.get(i) < window) {
                    short[] c = audio.chunks.get(sent[i]);
                    open.get(i).accept(c, 0, c.length);
                    sent[i]++;
                    progress = true;
                }
                if (sent[i] == total) {
                    done++;
                }
            }
            if (!progress && done < streams) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        for (SpeechStream s : open) {
            s.finish();
        }
        if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("streams did not end within " + timeout);
        }
        for (SpeechStream s : open) {
            s.close();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("streams failed: " + failures);
        }
    }
}
