package io.livedesk.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import org.ice4j.ice.IceProcessingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real headless Chromium sends fake camera and microphone to {@link EndpointTransport}s, which
 * echo every decrypted RTP/RTCP packet back re-encrypted; the page must then decode its own video
 * and receive its own audio over the bridge's UDP port.
 */
class EchoTransportIT {
    private static final Logger log = LoggerFactory.getLogger(EchoTransportIT.class);
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(20);

    /** One page, several peer connections ({@code pcs[i]}), each its own bridge endpoint. */
    private static final String PAGE = """
            <!doctype html>
            <html><body>
            <script>
            window.pcs = [];
            async function makeOffer(i) {
              const stream = await navigator.mediaDevices.getUserMedia(
                  {audio: true, video: {width: 640, height: 480}});
              const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});
              window.pcs[i] = pc;
              pc.ontrack = e => {
                const video = document.createElement('video');
                video.autoplay = true; video.muted = true;
                video.srcObject = new MediaStream([e.track]);
                document.body.appendChild(video);
              };
              stream.getTracks().forEach(t => pc.addTrack(t, stream));
              await pc.setLocalDescription(await pc.createOffer());
              if (pc.iceGatheringState !== 'complete') {
                await new Promise(resolve => {
                  pc.addEventListener('icegatheringstatechange',
                      () => { if (pc.iceGatheringState === 'complete') resolve(); });
                  setTimeout(resolve, 5000);
                });
              }
              return pc.localDescription.sdp;
            }
            async function mediaStats(i) {
              const pc = window.pcs[i];
              const r = {framesDecoded: 0, audioPacketsReceived: 0};
              const stats = await pc.getStats();
              let pairId = null;
              stats.forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') r.framesDecoded = s.framesDecoded || 0;
                if (s.type === 'inbound-rtp' && s.kind === 'audio') r.audioPacketsReceived = s.packetsReceived || 0;
                if (s.type === 'transport') { pairId = s.selectedCandidatePairId; r.dtlsState = s.dtlsState; }
              });
              const pair = pairId && stats.get(pairId);
              if (pair) {
                r.pairNominated = !!pair.nominated;
                r.pairState = pair.state;
                const remote = stats.get(pair.remoteCandidateId);
                r.remoteAddress = remote.address;
                r.remotePort = remote.port;
              }
              r.connectionState = pc.connectionState;
              return r;
            }
            </script></body></html>
            """;

    /**
     * Two peer connections at once, so the single bridge port must tell the endpoints apart by
     * ICE username; each gets exactly its own streams back.
     */
    @Test
    @Timeout(120)
    void browserReceivesItsOwnMediaBackThroughTheBridge() throws Exception {
        long warm = System.nanoTime();
        SrtpWarmUp.run();
        log.info("jitsi-srtp warm-up took {} ms", (System.nanoTime() - warm) / 1_000_000);
        BridgeCertificate certificate = BridgeCertificate.generate();

        HttpServer http = startPageServer();
        Path profile = Files.createTempDirectory("chromium-transport-it");
        ChromeDriver driver = null;
        List<EndpointTransport> transports = new ArrayList<>();
        try (UdpTransportHarvester port = UdpTransportHarvester.open("127.0.0.1", freeUdpPort())) {
            driver = startChromium(profile);
            driver.get("http://127.0.0.1:" + http.getAddress().getPort() + "/");
            for (int i = 0; i < 2; i++) {
                String offer = (String) driver.executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "makeOffer(arguments[0]).then(done, e => done('ERROR ' + e));", i);
                long offerAt = System.nanoTime();
                assertFalse(offer.startsWith("ERROR"), offer);
                log.info("offer {}:\n{}", i, offer);

                EndpointTransport transport = echoEndpoint("echo" + i + "-" + Long.toHexString(offerAt), port,
                        certificate);
                transports.add(transport);
                EchoAnswerSdp remote = EchoAnswerSdp.parseOffer(offer);
                transport.setRemote(remote.iceUfrag, remote.icePwd, remote.candidates, remote.fingerprint);
                String answer = remote.answer(transport);
                log.info("answer {}:\n{}", i, answer);
                transport.start();
                Object applied = driver.executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "window.pcs[arguments[1]].setRemoteDescription({type: 'answer', sdp: arguments[0]})"
                                + ".then(() => done('ok'), e => done('ERROR ' + e));", answer, i);
                assertEquals("ok", applied);

                Map<String, Object> stats = awaitMedia(driver, i);
                log.info("endpoint {}: offer -> first decoded frame and audio: {} ms; stats {}", i,
                        (System.nanoTime() - offerAt) / 1_000_000, stats);
            }

            // RTCP flows about once a second: wait until both directions have carried some.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .pollInterval(java.time.Duration.ofMillis(100))
                    .until(() -> transports.stream().map(EndpointTransport::counters)
                            .allMatch(c -> c.rtcpIn() > 0 && c.rtcpOut() > 0 && c.rtpIn() > 50));
            for (int i = 0; i < transports.size(); i++) {
                Map<String, Object> stats = mediaStats(driver, i);
                TransportCounters.Snapshot counters = transports.get(i).counters();
                log.info("endpoint {} once RTCP flowed: stats {}, transport counters {}", i, stats, counters);

                assertEquals(Boolean.TRUE, stats.get("pairNominated"), "nominated pair: " + stats);
                assertEquals((long) port.port(), ((Number) stats.get("remotePort")).longValue(),
                        "the media path's remote candidate is the bridge port: " + stats);
                assertTrue(number(stats, "framesDecoded") > 0, "video decoded: " + stats);
                assertTrue(number(stats, "audioPacketsReceived") > 0, "audio received: " + stats);
                assertTrue(counters.rtpIn() > 0 && counters.rtpOut() > 0, counters.toString());
                assertTrue(counters.rtcpIn() > 0 && counters.rtcpOut() > 0, counters.toString());
                assertEquals(0, counters.dropped(DropReason.SRTP_AUTH_FAILED), counters.toString());
                assertEquals(0, counters.dropped(DropReason.UNKNOWN_KIND), counters.toString());
            }
        } finally {
            transports.forEach(EndpointTransport::close);
            if (driver != null) {
                driver.quit();
            }
            http.stop(0);
            deleteRecursively(profile);
        }
        for (EndpointTransport transport : transports) {
            assertEquals(IceProcessingState.TERMINATED, transport.iceState());
            assertNoThreadsLeft(transport.id());
        }
    }

    /** An endpoint whose listener sends every decrypted packet straight back, re-encrypted. */
    private static EndpointTransport echoEndpoint(String id, UdpTransportHarvester port, BridgeCertificate certificate) {
        AtomicReference<EndpointTransport> self = new AtomicReference<>();
        EndpointTransport transport = new EndpointTransport(id, port, certificate, false, new MediaPacketListener() {
            @Override
            public void onRtp(byte[] buf, int off, int len) {
                self.get().sendRtp(buf, off, len);
            }

            @Override
            public void onRtcp(byte[] buf, int off, int len) {
                self.get().sendRtcp(buf, off, len);
            }
        });
        self.set(transport);
        return transport;
    }

    private static Map<String, Object> awaitMedia(ChromeDriver driver, int pc) throws InterruptedException {
        long deadline = System.nanoTime() + MEDIA_DEADLINE.toNanos();
        Map<String, Object> stats = Map.of();
        while (System.nanoTime() < deadline) {
            stats = mediaStats(driver, pc);
            if (number(stats, "framesDecoded") > 0 && number(stats, "audioPacketsReceived") > 0) {
                return stats;
            }
            Thread.sleep(20);
        }
        fail("no media came back within " + MEDIA_DEADLINE + ": " + stats);
        return stats;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mediaStats(ChromeDriver driver, int pc) {
        return (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "mediaStats(arguments[0]).then(done, e => done({error: '' + e}));", pc);
    }

    private static long number(Map<String, Object> stats, String key) {
        Object value = stats.get(key);
        return value instanceof Number n ? n.longValue() : 0;
    }

    /**
     * The DTLS thread is named after the endpoint. ice4j keeps no per-agent threads: its timers
     * and executors are process-wide pools shared by all agents (checked in its bytecode).
     */
    private static void assertNoThreadsLeft(String endpointId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Set<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .map(Thread::getName)
                    .filter(name -> name.contains(endpointId))
                    .collect(Collectors.toSet());
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertTrue(left.isEmpty(), "threads left after close: " + left);
    }

    private static ChromeDriver startChromium(Path profile) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }

    private static HttpServer startPageServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = PAGE.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        });
        server.start();
        return server;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
