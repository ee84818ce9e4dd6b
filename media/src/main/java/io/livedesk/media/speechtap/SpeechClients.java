package io.livedesk.media.speechtap;

import io.livedesk.media.api.BridgeException;
import io.livedesk.speech.api.SpeechService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The speech clients of a bridge node, one per list of speech node URLs signaling has named (in practice one per
 * language): each keeps its own view of which of its nodes answer, so a node found down is skipped by every tap
 * that uses it. At most {@code max} lists; a new one replaces a client with no stream left, else it is refused.
 */
final class SpeechClients implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpeechClients.class);

    private final int max;
    private final Function<List<URI>, SpeechService> factory;
    private final Map<List<URI>, SpeechService> clients = new LinkedHashMap<>();
    private boolean closed;

    SpeechClients(int max, Function<List<URI>, SpeechService> factory) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        this.max = max;
        this.factory = factory;
    }

    synchronized SpeechService forUrls(List<URI> urls) throws BridgeException.Unavailable {
        if (closed) {
            throw new BridgeException.Unavailable("speech taps are closed", null);
        }
        SpeechService existing = clients.get(urls);
        if (existing != null) {
            return existing;
        }
        if (clients.size() >= max && !evictIdle()) {
            throw new BridgeException.Unavailable("too many different speech node lists in use (at most " + max + ")",
                    null);
        }
        SpeechService created = factory.apply(List.copyOf(urls));
        clients.put(List.copyOf(urls), created);
        return created;
    }

    private boolean evictIdle() {
        for (Iterator<Map.Entry<List<URI>, SpeechService>> it = clients.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<List<URI>, SpeechService> e = it.next();
            if (e.getValue().status().activeStreams() == 0) {
                it.remove();
                close(e.getValue());
                return true;
            }
        }
        return false;
    }

    synchronized int size() {
        return clients.size();
    }

    @Override
    public void close() {
        List<SpeechService> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(clients.values());
            clients.clear();
        }
        all.forEach(SpeechClients::close);
    }

    private static void close(SpeechService s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            log.warn("closing a speech client failed", e);
        }
    }
}
