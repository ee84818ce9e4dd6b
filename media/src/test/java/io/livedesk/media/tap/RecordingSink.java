package io.livedesk.media.tap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps every frame with its media time; counts closes. Thread-safe (the tap calls it from pool threads). */
final class RecordingSink implements AudioSink {
    record Frame(short[] pcm, long mediaTimeMs) {
    }

    private final List<Frame> frames = new ArrayList<>();
    final AtomicInteger closes = new AtomicInteger();
    final CountDownLatch closed = new CountDownLatch(1);
    private volatile Thread lastThread;

    @Override
    public synchronized void onAudio(short[] pcm, long mediaTimeMs) {
        lastThread = Thread.currentThread();
        frames.add(new Frame(pcm, mediaTimeMs));
    }

    @Override
    public void onClose() {
        closes.incrementAndGet();
        closed.countDown();
    }

    synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    synchronized long samples() {
        long n = 0;
        for (Frame f : frames) {
            n += f.pcm().length;
        }
        return n;
    }

    /** Every sample delivered at or after {@code fromMs} of media time, in order. */
    synchronized short[] pcmFrom(long fromMs) {
        int n = 0;
        for (Frame f : frames) {
            if (f.mediaTimeMs() >= fromMs) {
                n += f.pcm().length;
            }
        }
        short[] out = new short[n];
        int at = 0;
        for (Frame f : frames) {
            if (f.mediaTimeMs() >= fromMs) {
                System.arraycopy(f.pcm(), 0, out, at, f.pcm().length);
                at += f.pcm().length;
            }
        }
        return out;
    }

    Thread lastThread() {
        return lastThread;
    }
}
