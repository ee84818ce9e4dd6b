package io.livedesk.media.transport;

import static io.livedesk.media.testing.ChromiumPages.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livedesk.testkit.browser.Chromium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import org.ice4j.ice.IceProcessingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
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

        HttpServer http = servePage(PAGE);
        Chromium chromium = null;
        List<EndpointTransport> transports = new ArrayList<>();
        try (UdpTransportHarvester port = UdpTransportHarvester.open("127.0.0.1", freeUdpPort())) {
            chromium = new Chromium();
            ChromeDriver driver = chromium.driver();
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

                ChromeDriver page = driver;
                int pc = i;
                Map<String, Object> stats = awaitMedia(() -> mediaStats(page, pc), MEDIA_DEADLINE, "endpoint " + pc);
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
                assertEquals(0, counters.dropped(TransportDrop.SRTP_AUTH_FAILED), counters.toString());
                assertEquals(0, counters.dropped(TransportDrop.UNKNOWN_KIND), counters.toString());
            }
        } finally {
            transports.forEach(EndpointTransport::close);
            if (chromium != null) {
                chromium.close();
            }
            http.stop(0);
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mediaStats(ChromeDriver driver, int pc) {
        return (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "mediaStats(arguments[0]).then(done, e => done({error: '' + e}));", pc);
    }
}
