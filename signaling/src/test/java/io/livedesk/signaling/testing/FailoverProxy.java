package io.livedesk.signaling.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP forwarder in front of several nodes, standing in for a load balancer with health checks: each new
 * connection goes to the first backend (in the order given) that accepts it, so while the first node lives every
 * client reaches it, and once it is dead (its port refuses connections) new connections reach the next. Bytes are
 * copied both ways as they come; when a backend drops a connection (a crash), the client's connection is closed
 * too, as a load balancer would, so the client notices and reconnects. Everything it opened closes with it.
 */
public final class FailoverProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FailoverProxy.class);
    private static final int CONNECT_TIMEOUT_MS = 1000;

    private final List<InetSocketAddress> backends;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private FailoverProxy(List<InetSocketAddress> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "failover-proxy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::acceptLoop);
    }

    /** A forwarder on a free loopback port in front of these loopback ports, first preferred. */
    public static FailoverProxy start(int... backendPorts) throws IOException {
        return new FailoverProxy(java.util.Arrays.stream(backendPorts)
                .mapToObj(p -> new InetSocketAddress(InetAddress.getLoopbackAddress(), p)).toList());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** e.g. {@code http://127.0.0.1:41234} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** How many connections were forwarded to the backend on this port so far. */
    public int connectionsTo(int backendPort) {
        AtomicInteger n = accepted.get(backendPort);
        return n == null ? 0 : n.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("forwarder stopped accepting: {}", e.toString());
                }
                return;
            }
            track(client);
            threads.execute(() -> forward(client));
        }
    }

    private void forward(Socket client) {
        Socket backend = connectToFirstAlive();
        if (backend == null) {
            log.warn("no backend accepts connections: closing the client's");
            quietlyClose(client);
            return;
        }
        threads.execute(() -> pump(client, backend));
        pump(backend, client);
    }

    private Socket connectToFirstAlive() {
        for (InetSocketAddress address : backends) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(address, CONNECT_TIMEOUT_MS);
                track(s);
                accepted.computeIfAbsent(address.getPort(), p -> new AtomicInteger()).incrementAndGet();
                return s;
            } catch (IOException e) {
                quietlyClose(s); // down: try the next
            }
        }
        return null;
    }

    /** Copies until either side ends, then closes both (a dropped backend drops its client too). */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // reset or closed by the other direction: close both below
        } finally {
            quietlyClose(from);
            quietlyClose(to);
        }
    }

    private void track(Socket s) {
        open.add(s);
        if (closed) {
            quietlyClose(s);
        }
    }

    private void quietlyClose(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        for (Socket s : List.copyOf(open)) {
            quietlyClose(s);
        }
        threads.shutdownNow();
    }
}
