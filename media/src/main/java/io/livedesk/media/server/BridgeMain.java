package io.livedesk.media.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;

import io.livedesk.media.io.MediaSocket;
import io.livedesk.media.simulcast.SimulcastSettings;
import io.livedesk.media.transport.UdpTransportHarvester;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import io.livedesk.media.speechtap.SpeechTapRelay;
import picocli.CommandLine.Option;

/**
 * Runs a bridge node as its own process: {@code java -jar livedesk-bridge.jar --media-address 10.0.0.5}.
 * Media on one UDP port; Colibri2, {@code /about/health}, {@code /colibri/stats} and {@code /metrics} on
 * a private HTTP port. SIGTERM stops it gracefully (HTTP first, then every conference, then the port).
 *
 * <p>Behind NAT: bind a local address (or {@code 0.0.0.0}) with {@code --media-address} and give the address
 * browsers reach with {@code --public-address} (a 1:1 NAT forwarding the media port); it is advertised as the
 * host candidate instead of the bound one. Several, comma-separated, are advertised in that order (e.g. the
 * public address, then the private one for browsers inside the network).
 */
@Command(name = "livedesk-bridge", mixinStandardHelpOptions = true, version = BridgeMain.VERSION,
        description = "LiveDesk media bridge node (WebRTC SFU, Colibri2 over HTTP).")
public final class BridgeMain implements Callable<Integer> {
    static final String VERSION = "0.1.0";
    static final String LOGBACK_PROPERTY = "logback.configurationFile";
    static final String LOGBACK_FILE = "logback-bridge.xml";

    @Spec
    CommandSpec spec;

    @Option(names = "--id", description = "Bridge id in logs, metrics and selection (default: bridge-<media-port>).")
    String id;

    @Option(names = "--media-address", defaultValue = "127.0.0.1",
            description = "Address the media UDP port binds, 0.0.0.0 for all; advertised to browsers unless "
                    + "--public-address is given (default: ${DEFAULT-VALUE}).")
    String mediaAddress;

    @Option(names = "--public-address", split = ",", paramLabel = "IP",
            description = "IP address(es) browsers reach the media port on (NAT), advertised instead of "
                    + "--media-address, first preferred; comma-separated or repeated (default: none).")
    List<String> publicAddresses = new ArrayList<>();

    @Option(names = "--media-port", defaultValue = "" + UdpTransportHarvester.DEFAULT_PORT,
            description = "Media UDP port shared by all endpoints (default: ${DEFAULT-VALUE}).")
    int mediaPort;

    @Option(names = "--http-host", defaultValue = "127.0.0.1",
            description = "Colibri2 / metrics bind address; private, loopback by default (default: ${DEFAULT-VALUE}).")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "8090", description = "Colibri2 / metrics port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--http-workers", defaultValue = "8", description = "Threads serving Colibri2 calls (default: ${DEFAULT-VALUE}).")
    int httpWorkers;

    @Option(names = "--inactivity-timeout", defaultValue = "PT60S",
            description = "Expire an endpoint silent for this long, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration inactivityTimeout;

    @Option(names = "--media-timeout", defaultValue = "PT2S",
            description = "Report an endpoint's media stopped after this long without a packet, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration mediaTimeout;

    @Option(names = "--io", defaultValue = "netty",
            description = "The media port's I/O: netty (ICE-lite, batched receive and send on epoll, NIO elsewhere) "
                    + "or ice4j (an ICE agent per endpoint, one datagram per syscall) (default: ${DEFAULT-VALUE}).")
    String io;

    @Option(names = "--io-threads", defaultValue = "0",
            description = "With --io netty: I/O threads, each reading its own socket on the media port "
                    + "(SO_REUSEPORT); an endpoint's datagrams are read, and its forwarding done, on one of them; "
                    + "0: a quarter of the cores, at least one (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--io-coalesce", defaultValue = "PT0.0002S",
            description = "With --io netty: while datagrams keep coming, how long an I/O thread lets them gather "
                    + "before it reads them all, ISO-8601 (PT0.0002S is 200 us): fewer wake-ups per packet, at most "
                    + "that much added latency; PT0S reads on every wake-up (default: ${DEFAULT-VALUE}).")
    Duration ioCoalesce;

    @Option(names = "--relay-port", defaultValue = "0",
            description = "With --io netty: the UDP port relays to other bridges use (ICE + DTLS-SRTP, bridge to "
                    + "bridge); open it between the bridges' hosts. 0: one the system picks (default: ${DEFAULT-VALUE}).")
    int relayPort;

    @Option(names = "--simulcast-initial-estimate", defaultValue = "1000000", paramLabel = "BPS",
            description = "What a simulcast receiver is assumed to take before it reports an estimate, bits/s: it "
                    + "starts on the highest layer this carries (default: ${DEFAULT-VALUE}).")
    long simulcastInitialEstimate;

    @Option(names = "--simulcast-upgrade-step", defaultValue = "PT1S",
            description = "A simulcast receiver without congestion moves up one layer at most this often, ISO-8601 "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration simulcastUpgradeStep;

    @Option(names = "--simulcast-congestion-hold", defaultValue = "PT4S",
            description = "After moving a receiver down for congestion, how long before trying higher again; doubled "
                    + "when congestion recurs, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration simulcastCongestionHold;

    @Option(names = "--simulcast-max-congestion-hold", defaultValue = "PT60S",
            description = "The longest congestion hold, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration simulcastMaxCongestionHold;

    @Option(names = "--simulcast-probe-duration", defaultValue = "PT0.4S",
            description = "How long the bridge probes a receiver with padding before moving it up a layer its own "
                    + "estimate does not carry, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration simulcastProbeDuration;

    @Option(names = "--simulcast-probe-max-bytes", defaultValue = "150000", paramLabel = "BYTES",
            description = "The most padding one probe sends (default: ${DEFAULT-VALUE}).")
    long simulcastProbeMaxBytes;

    @Option(names = "--max-speech-taps", defaultValue = "200",
            description = "Speech taps (a participant's audio streamed to speech nodes for signaling) open at once "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxSpeechTaps;

    @Option(names = "--speech-connect-timeout", defaultValue = "PT5S",
            description = "A speech node's WebSocket handshake must finish within this, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration speechConnectTimeout;

    @Option(names = "--speech-reply-timeout", defaultValue = "PT10S",
            description = "Audio sent to a speech node and no reply for this long: the node counts as failed and the "
                    + "stream moves to the next one signaling named, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration speechReplyTimeout;

    @Option(names = "--speech-tap-abandon-after", defaultValue = "PT30S",
            description = "A speech tap whose results nobody collected for this long is closed (its signaling node "
                    + "is gone), ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration speechTapAbandonAfter;

    @Option(names = "--shutdown-grace", defaultValue = "PT10S",
            description = "On SIGTERM, report shutting_down for up to this long before stopping, so that signaling "
                    + "moves the calls to other bridges; stops as soon as no conference is left, ISO-8601 "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    public static void main(String[] args) {
        // Before anything asks for a logger.
        if (System.getProperty(LOGBACK_PROPERTY) == null) {
            System.setProperty(LOGBACK_PROPERTY, LOGBACK_FILE);
        }
        // ice4j and jitsi-srtp log through java.util.logging (not logback): warnings only, unless the
        // operator configured JUL. The root logger is held by the LogManager, so the level sticks.
        if (System.getProperty("java.util.logging.config.file") == null) {
            java.util.logging.Logger.getLogger("").setLevel(Level.WARNING);
        }
        int code = new CommandLine(new BridgeMain()).execute(args);
        if (code != 0) {
            // After a normal stop (SIGTERM) the JVM is already exiting; exit() would only block.
            System.exit(code);
        }
    }

    BridgeNode.Settings settings() {
        return new BridgeNode.Settings(id != null ? id : "bridge-" + mediaPort, mediaAddress, mediaPort, httpHost,
                httpPort, httpWorkers, inactivityTimeout, true, VERSION, publicAddresses, mediaTimeout, io,
                MediaSocket.Settings.defaults()
                        .withIoThreads(ioThreads == 0 ? MediaSocket.Settings.defaultIoThreads() : ioThreads)
                        .withCoalesce(ioCoalesce),
                new SimulcastSettings(simulcastInitialEstimate, simulcastUpgradeStep, simulcastCongestionHold,
                        simulcastMaxCongestionHold, simulcastProbeDuration, simulcastProbeMaxBytes),
                SpeechTapRelay.Settings.defaults().withMaxTaps(maxSpeechTaps)
                        .withSpeechTimeouts(speechConnectTimeout, speechReplyTimeout)
                        .withAbandonAfter(speechTapAbandonAfter), relayPort);
    }

    @Override
    public Integer call() throws InterruptedException {
        BridgeNode.Settings settings;
        BridgeNode node;
        try {
            settings = settings();
            node = BridgeNode.start(settings);
        } catch (IllegalArgumentException e) {
            // e.g. a host name as --public-address, 0.0.0.0 with nothing to advertise, --relay-port with --io ice4j
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Duration grace = shutdownGrace;
        Thread hook = new Thread(() -> {
            try {
                node.shutDown(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                node.close();
            }
        }, "livedesk-bridge-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String where = String.format("bridge %s: media udp %s:%d%s, colibri2 + /metrics http://%s:%d",
                node.bridge().id(), node.bridge().address(), node.bridge().port(),
                settings.publicAddresses().isEmpty() ? "" : " advertised as " + String.join(", ", settings.publicAddresses()),
                node.httpAddress().getHostString(), node.httpAddress().getPort());
        LoggerFactory.getLogger(BridgeMain.class).info(where);
        System.out.println(where);
        node.awaitStopped();
        return 0;
    }
}
