package io.livedesk.speech.client;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote speech nodes as the streams see them: which answer, and how many streams each carries. A stream opens
 * on the node of its language with the fewest streams among those up; a node a stream failed on is down, gets no new
 * streams, and is tried again every health interval (a WebSocket handshake, which both LiveDesk speech nodes and
 * vosk-server accept) until it answers. When every node of a language is down, streams still try them, in order:
 * a connect is a check too.
 */
final class SpeechNodes {
    private static final Logger log = LoggerFactory.getLogger(SpeechNodes.class);

    /** Checks whether a node answers; throws when it does not. */
    interface Probe {
        void check(URI node) throws Exception;
    }

    private static final class Node {
        final URI uri;
        final AtomicInteger streams = new AtomicInteger();
        final AtomicBoolean checking = new AtomicBoolean();
        volatile boolean up = true;

        Node(URI uri) {
            this.uri = uri;
        }
    }

    private final ConcurrentHashMap<URI, Node> nodes = new ConcurrentHashMap<>();
    private final Probe probe;

    SpeechNodes(Probe probe) {
        this.probe = probe;
    }

    private Node node(URI uri) {
        return nodes.computeIfAbsent(uri, Node::new);
    }

    /**
     * The node a stream should use among {@code candidates} (a language's nodes in order of preference), leaving out
     * {@code excluded}: the least loaded of those up, else the first not excluded; null when every one is excluded.
     */
    URI pick(List<URI> candidates, Set<URI> excluded) {
        Node best = null;
        URI fallback = null;
        for (URI uri : candidates) {
            if (excluded.contains(uri)) {
                continue;
            }
            if (fallback == null) {
                fallback = uri;
            }
            Node n = node(uri);
            if (n.up && (best == null || n.streams.get() < best.streams.get())) {
                best = n;
            }
        }
        return best != null ? best.uri : fallback;
    }

    void attached(URI uri) {
        node(uri).streams.incrementAndGet();
    }

    void detached(URI uri) {
        node(uri).streams.decrementAndGet();
    }

    /** A stream found the node not answering (refused, closed, timed out, overloaded). */
    void failed(URI uri, String why) {
        Node n = node(uri);
        if (n.up) {
            n.up = false;
            log.warn("speech node {} is down: {}; streams go to the other nodes until it answers", hostOf(uri), why);
        }
    }

    /** A reply came from the node: it is up. */
    void answered(URI uri) {
        back(node(uri));
    }

    boolean isUp(URI uri) {
        return node(uri).up;
    }

    /** Streams open on the node now. */
    int streams(URI uri) {
        return node(uri).streams.get();
    }

    /** Tries every node that is down once more, on {@code executor}; one check per node at a time. */
    void checkDown(Executor executor) {
        Collection<Node> all = nodes.values();
        for (Node n : all) {
            if (n.up || !n.checking.compareAndSet(false, true)) {
                continue;
            }
            try {
                executor.execute(() -> {
                    try {
                        probe.check(n.uri);
                        back(n);
                    } catch (Exception e) {
                        log.debug("speech node {} still down: {}", hostOf(n.uri), e.toString());
                    } finally {
                        n.checking.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                n.checking.set(false); // closing, or every thread busy: the next round tries again
            }
        }
    }

    private static void back(Node n) {
        if (!n.up) {
            n.up = true;
            log.info("speech node {} answers again", hostOf(n.uri));
        }
    }

    static String hostOf(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }
}
