package io.livedesk.bench.sockets;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The bytes a LiveDesk bridge process has allocated so far, from its Prometheus {@code /metrics}
 * ({@code livedesk_bridge_jvm_allocated_bytes_total}): read before and after the measured window, the difference
 * over the packets forwarded is the bridge's allocation per forwarded packet. Two scrapes per run: what a scrape
 * itself allocates (tens of kB) is noise against a window of a million packets.
 */
final class AllocatedBytes {
    static final String METRIC = "livedesk_bridge_jvm_allocated_bytes_total";
    /** What {@link #read} returns where the bridge does not say (another bridge, or a JVM that does not count). */
    static final long UNKNOWN = -1;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI metrics;

    AllocatedBytes(String bridgeHttpBase) {
        this.metrics = URI.create(bridgeHttpBase + "/metrics");
    }

    /** The counter now, or {@link #UNKNOWN}. */
    long read() throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? parse(response.body()) : UNKNOWN;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    static long parse(String exposition) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(METRIC + "{") || line.startsWith(METRIC + " ")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        return UNKNOWN;
    }

    /** Bytes per packet between two readings, or NaN when either is unknown or nothing was forwarded. */
    static double perPacket(long before, long after, long packets) {
        return before == UNKNOWN || after == UNKNOWN || packets <= 0 ? Double.NaN : (double) (after - before) / packets;
    }

    /** One decimal, or {@code unknown} for NaN. */
    static String format(double perPacket, String unknown) {
        return Double.isNaN(perPacket) ? unknown : String.format(java.util.Locale.ROOT, "%.1f", perPacket);
    }
}
