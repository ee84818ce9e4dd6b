package io.livedesk.bench.live;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code INFO} sections from the Redis server the nodes use, over a plain socket (RESP, one command at
 * a time): command counts and times ({@code INFO commandstats}) and CPU ({@code INFO cpu}), whose deltas
 * over a window give Redis's cost. Redis counts the commands a Lua script runs as well as the script call
 * itself ({@code evalsha}), in both {@code commandstats} and {@code total_commands_processed}.
 */
public final class RedisInfo implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RedisInfo(URI redisUrl) throws IOException {
        String host = redisUrl.getHost() == null ? "127.0.0.1" : redisUrl.getHost();
        int port = redisUrl.getPort() < 0 ? 6379 : redisUrl.getPort();
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 3000);
        socket.setSoTimeout(5000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** One moment's figures. */
    public record Snapshot(long atNs, Map<String, long[]> commands, double cpuSeconds, long pid, long usedMemory) {
        public long calls(String command) {
            long[] c = commands.get(command);
            return c == null ? 0 : c[0];
        }
    }

    public synchronized Snapshot snapshot() throws IOException {
        long now = System.nanoTime();
        Map<String, long[]> commands = commandstats(info("commandstats"));
        Map<String, String> cpu = fields(info("cpu"));
        Map<String, String> server = fields(info("server"));
        Map<String, String> memory = fields(info("memory"));
        double cpuSeconds = d(cpu, "used_cpu_user") + d(cpu, "used_cpu_sys");
        return new Snapshot(now, commands, cpuSeconds, (long) d(server, "process_id"), (long) d(memory, "used_memory"));
    }

    private String info(String section) throws IOException {
        byte[] s = section.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(("*2\r\n$4\r\nINFO\r\n$" + s.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        req.writeBytes(s);
        req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(req.toByteArray());
        out.flush();
        String head = line();
        if (!head.startsWith("$")) {
            throw new IOException("unexpected reply to INFO: " + head);
        }
        int len = Integer.parseInt(head.substring(1));
        byte[] body = in.readNBytes(len + 2);
        return new String(body, 0, len, StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\r') {
                in.read();
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    /** {@code key:value} lines of an INFO reply. */
    static Map<String, String> fields(String info) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : info.split("\r?\n")) {
            int i = l.indexOf(':');
            if (i > 0 && !l.startsWith("#")) {
                m.put(l.substring(0, i), l.substring(i + 1).trim());
            }
        }
        return m;
    }

    /** {@code cmdstat_NAME:calls=N,usec=U,...} lines: NAME to {calls, usec}. */
    static Map<String, long[]> commandstats(String info) {
        Map<String, long[]> m = new TreeMap<>();
        for (Map.Entry<String, String> e : fields(info).entrySet()) {
            if (!e.getKey().startsWith("cmdstat_")) {
                continue;
            }
            long calls = 0;
            long usec = 0;
            for (String kv : e.getValue().split(",")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = kv.substring(0, eq);
                if (k.equals("calls")) {
                    calls = Long.parseLong(kv.substring(eq + 1));
                } else if (k.equals("usec")) {
                    usec = Long.parseLong(kv.substring(eq + 1));
                }
            }
            m.put(e.getKey().substring("cmdstat_".length()), new long[]{calls, usec});
        }
        return m;
    }

    /**
     * Calls per command between two snapshots, leaving out what the benchmark itself sends ({@code info}),
     * largest first.
     */
    static Map<String, Long> callDeltas(Snapshot a, Snapshot b) {
        Map<String, Long> d = new TreeMap<>();
        for (Map.Entry<String, long[]> e : b.commands().entrySet()) {
            if (e.getKey().equals("info")) {
                continue;
            }
            long delta = e.getValue()[0] - a.calls(e.getKey());
            if (delta > 0) {
                d.put(e.getKey(), delta);
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        d.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static double d(Map<String, String> m, String k) {
        String v = m.get(k);
        return v == null ? -1 : Double.parseDouble(v);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
