package io.livedesk.speech.server;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.livedesk.speech.engine.NamedThreads;

/** Closes connections that sent nothing for the idle timeout; checks four times per timeout. */
final class IdleSweeper implements AutoCloseable {
    private final Set<SpeechEndpoint> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new NamedThreads("ld-speech-idle"));

    IdleSweeper(Duration idleTimeout) {
        long period = Math.max(10, idleTimeout.toMillis() / 4);
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    void register(SpeechEndpoint endpoint) {
        connections.add(endpoint);
    }

    void unregister(SpeechEndpoint endpoint) {
        connections.remove(endpoint);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (SpeechEndpoint c : connections) {
            try {
                c.closeIfIdle(now);
            } catch (RuntimeException e) {
                // One broken connection must not stop the sweep for the others.
                connections.remove(c);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
