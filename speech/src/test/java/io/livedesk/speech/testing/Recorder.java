package io.livedesk.speech.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.TranscriptEvent.Partial;
import io.livedesk.speech.api.TranscriptEvent.Status;
import io.livedesk.speech.api.TranscriptListener;

/** A listener that keeps every event, and the thread each came on. */
public final class Recorder implements TranscriptListener {
    public final List<TranscriptEvent> events = new CopyOnWriteArrayList<>();
    public final List<String> threads = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public void onEvent(TranscriptEvent event) {
        events.add(event);
        threads.add(Thread.currentThread().getName());
        if (event instanceof Status) {
            ended.countDown();
        }
    }

    /** Waits for the terminal status and returns it. */
    public Status awaitStatus(Duration timeout) throws InterruptedException {
        if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no terminal status within " + timeout + "; events so far: " + events);
        }
        return status();
    }

    public Status status() {
        return events.stream().filter(Status.class::isInstance).map(Status.class::cast).findFirst().orElse(null);
    }

    public List<Final> finals() {
        return events.stream().filter(Final.class::isInstance).map(Final.class::cast).collect(Collectors.toList());
    }

    public List<Final> nonEmptyFinals() {
        return finals().stream().filter(f -> !f.isEmpty()).collect(Collectors.toList());
    }

    public List<Partial> partials() {
        return events.stream().filter(Partial.class::isInstance).map(Partial.class::cast).collect(Collectors.toList());
    }
}
