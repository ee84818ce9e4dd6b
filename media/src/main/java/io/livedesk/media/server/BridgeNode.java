package io.livedesk.media.server;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.bridge.BridgeConfig;
import io.livedesk.media.bridge.LocalBridge;
import io.livedesk.media.bridge.PublicAddressBridge;
import io.livedesk.media.colibri.Colibri2HttpServer;
import io.livedesk.media.io.MediaSocket;
import io.livedesk.media.simulcast.SimulcastSettings;
import io.livedesk.media.speechtap.SpeechTapRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bridge node: a {@link LocalBridge} on its media UDP port, served over the Colibri2 REST interface
 * with {@code GET /metrics} (Prometheus) next to it, and the speech taps signaling opens to have calls here
 * transcribed ({@link SpeechTapRelay}: the audio goes from here straight to speech nodes). {@link #shutDown} is the graceful stop (report
 * {@code shutting_down}, let signaling move the calls, then close); {@link #close()} stops HTTP first (no new
 * conferences), then the bridge (expires every conference, frees the port). What {@link BridgeMain}
 * runs, and what tests start in-process.
 */
public final class BridgeNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BridgeNode.class);

    /**
     * @param mediaAddress    the address the media UDP port binds; advertised in its ICE candidate unless
     *                        {@code publicAddresses} are given (then it may be a wildcard, 0.0.0.0)
     * @param httpHost        the Colibri2 interface is private: loopback unless deliberately exposed
     * @param httpPort        0 for any free port
     * @param publicAddresses advertised to browsers instead of {@code mediaAddress}, first preferred (NAT);
     *                        empty to advertise {@code mediaAddress}
     * @param mediaTimeout    an endpoint silent this long after it sent media is reported stopped to signaling
     * @param io              the media port's I/O, {@code ice4j} or {@code netty} (see {@link BridgeConfig#IO_CHOICES})
     * @param nettyIo         with {@code netty}: I/O threads and coalescing ({@link BridgeConfig#nettyIo})
     * @param simulcast       how receivers are moved between a simulcast sender's layers
     * @param speechTaps      limits and timeouts of the speech taps signaling opens ({@code /livedesk/taps})
     * @param relayPort       with {@code netty}: the UDP port relays to other bridges use, 0 for one the system picks
     *                        ({@link BridgeConfig#relayPort})
     */
    public record Settings(String id, String mediaAddress, int mediaPort, String httpHost, int httpPort,
                           int httpWorkers, Duration inactivityTimeout, boolean warmUpSrtp, String version,
                           List<String> publicAddresses, Duration mediaTimeout, String io,
                           MediaSocket.Settings nettyIo, SimulcastSettings simulcast,
                           SpeechTapRelay.Settings speechTaps, int relayPort) {
        public Settings {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(mediaAddress, "mediaAddress");
            Objects.requireNonNull(httpHost, "httpHost");
            Objects.requireNonNull(inactivityTimeout, "inactivityTimeout");
            Objects.requireNonNull(mediaTimeout, "mediaTimeout");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(nettyIo, "nettyIo");
            Objects.requireNonNull(simulcast, "simulcast");
            Objects.requireNonNull(speechTaps, "speechTaps");
            publicAddresses = PublicAddressBridge.validate(publicAddresses);
            if (publicAddresses.isEmpty() && PublicAddressBridge.isWildcard(mediaAddress)) {
                throw new IllegalArgumentException("media address " + mediaAddress
                        + " is a wildcard, which browsers cannot reach: give the public address(es) to advertise");
            }
        }

        /** With the default media timeout. */
        public Settings(String id, String mediaAddress, int mediaPort, String httpHost, int httpPort,
                        int httpWorkers, Duration inactivityTimeout, boolean warmUpSrtp, String version,
                        List<String> publicAddresses) {
            this(id, mediaAddress, mediaPort, httpHost, httpPort, httpWorkers, inactivityTimeout, warmUpSrtp, version,
                    publicAddresses, BridgeConfig.DEFAULT_MEDIA_TIMEOUT, "netty", MediaSocket.Settings.defaults(),
                    SimulcastSettings.defaults(), SpeechTapRelay.Settings.defaults(), 0);
        }

        /** Advertising the media address itself. */
        public Settings(String id, String mediaAddress, int mediaPort, String httpHost, int httpPort,
                        int httpWorkers, Duration inactivityTimeout, boolean warmUpSrtp, String version) {
            this(id, mediaAddress, mediaPort, httpHost, httpPort, httpWorkers, inactivityTimeout, warmUpSrtp, version,
                    List.of());
        }

        public Settings withPublicAddresses(List<String> addresses) {
            return new Settings(id, mediaAddress, mediaPort, httpHost, httpPort, httpWorkers, inactivityTimeout,
                    warmUpSrtp, version, addresses, mediaTimeout, io, nettyIo, simulcast, speechTaps, relayPort);
        }

        public Settings withMediaTimeout(Duration timeout) {
            return new Settings(id, mediaAddress, mediaPort, httpHost, httpPort, httpWorkers, inactivityTimeout,
                    warmUpSrtp, version, publicAddresses, timeout, io, nettyIo, simulcast, speechTaps, relayPort);
        }

        public Settings withNettyIo(MediaSocket.Settings s) {
            return new Settings(id, mediaAddress, mediaPort, httpHost, httpPort, httpWorkers, inactivityTimeout,
                    warmUpSrtp, version, publicAddresses, mediaTimeout, io, s, simulcast, speechTaps, relayPort);
        }

        public Settings withIo(String choice) {
            return new Settings(id, mediaAddress, mediaPort, httpHost, httpPort, httpWorkers, inactivityTimeout,
                    warmUpSrtp, version, publicAddresses, mediaTimeout, choice, nettyIo, simulcast, speechTaps, relayPort);
        }

        public Settings withRelayPort(int port) {
            return new Settings(id, mediaAddress, mediaPort, httpHost, httpPort, httpWorkers, inactivityTimeout,
                    warmUpSrtp, version, publicAddresses, mediaTimeout, io, nettyIo, simulcast, speechTaps, port);
        }

        public Settings withSpeechTaps(SpeechTapRelay.Settings taps) {
            return new Settings(id, mediaAddress, mediaPort, httpHost, httpPort, httpWorkers, inactivityTimeout,
                    warmUpSrtp, version, publicAddresses, mediaTimeout, io, nettyIo, simulcast, taps, relayPort);
        }
    }

    private final LocalBridge bridge;
    private final SpeechTapRelay speechTaps;
    private final BridgeMetrics metrics;
    private final Colibri2HttpServer http;
    private final InetSocketAddress httpAddress;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private BridgeNode(LocalBridge bridge, SpeechTapRelay speechTaps, BridgeMetrics metrics, Colibri2HttpServer http,
                       InetSocketAddress httpAddress) {
        this.bridge = bridge;
        this.speechTaps = speechTaps;
        this.metrics = metrics;
        this.http = http;
        this.httpAddress = httpAddress;
    }

    /** Binds the media port and the HTTP port; on failure nothing stays open. */
    public static BridgeNode start(Settings settings) {
        BridgeConfig config = BridgeConfig.defaults(settings.mediaAddress(), settings.mediaPort())
                .withId(settings.id())
                .withInactivityTimeout(settings.inactivityTimeout())
                .withMediaTimeout(settings.mediaTimeout())
                .withWarmUpSrtp(settings.warmUpSrtp())
                .withIo(settings.io())
                .withNettyIo(settings.nettyIo())
                .withSimulcast(settings.simulcast())
                .withRelayPort(settings.relayPort());
        LocalBridge bridge = new LocalBridge(config);
        SpeechTapRelay speechTaps = null;
        try {
            speechTaps = new SpeechTapRelay(bridge::tapAudio, settings.speechTaps(), Clock.systemUTC());
            BridgeMetrics metrics = new BridgeMetrics(bridge, speechTaps);
            Colibri2HttpServer.Options options = Colibri2HttpServer.Options.defaults()
                    .withHost(settings.httpHost())
                    .withPort(settings.httpPort())
                    .withWorkers(settings.httpWorkers(), 256);
            // What Colibri2 callers see: candidates on the public addresses when there are any.
            Bridge served = PublicAddressBridge.wrap(bridge, settings.publicAddresses());
            Colibri2HttpServer http = new Colibri2HttpServer(served,
                    new Colibri2HttpServer.Options(options.host(), options.port(), options.ioThreads(),
                            options.workerThreads(), options.workerQueue(), options.maxRequestBytes(),
                            options.idleTimeout(), settings.version()), speechTaps)
                    .addTextRoute("/metrics", Colibri2HttpServer.PROMETHEUS_TEXT, metrics::scrape);
            InetSocketAddress address = http.start();
            return new BridgeNode(bridge, speechTaps, metrics, http, address);
        } catch (RuntimeException e) {
            if (speechTaps != null) {
                speechTaps.close();
            }
            bridge.close();
            throw e;
        }
    }

    /** The bridge itself (bound address, its own candidates); Colibri2 callers see the public addresses. */
    public LocalBridge bridge() {
        return bridge;
    }

    /** The speech taps signaling opened here. */
    public SpeechTapRelay speechTaps() {
        return speechTaps;
    }

    public BridgeMetrics metrics() {
        return metrics;
    }

    /** Where Colibri2 and /metrics are served. */
    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    /** Blocks until {@link #close()} has finished (from any thread, e.g. the shutdown hook). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /**
     * A graceful stop: the bridge reports {@code shutting_down} (still serving), so that signaling nodes move
     * its calls to other bridges (they expire the conferences here once the participants were asked to
     * reconnect); when no conference is left, or after {@code grace}, {@link #close()}. Without signaling to
     * move them, the conferences simply end at the close.
     */
    public void shutDown(Duration grace) throws InterruptedException {
        if (closed.get()) {
            return;
        }
        bridge.shutDown();
        long deadline = System.nanoTime() + grace.toNanos();
        // Polled: the bridge has no conference-count listener, and a stop is rare enough that 100 ms costs nothing.
        while (bridge.stats().conferences() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(100);
        }
        int left = bridge.stats().conferences();
        if (left > 0) {
            log.warn("bridge {}: {} conference(s) still here after the shutdown grace of {} ms; they end now",
                    bridge.id(), left, grace.toMillis());
        }
        close();
    }

    /** HTTP first, then the bridge; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            try {
                http.close();
            } catch (RuntimeException e) {
                log.warn("bridge {}: stopping HTTP failed", bridge.id(), e);
            }
            speechTaps.close();
            bridge.close();
            log.info("bridge {} stopped", bridge.id());
        } finally {
            stopped.countDown();
        }
    }
}
