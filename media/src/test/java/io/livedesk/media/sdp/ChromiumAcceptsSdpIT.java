package io.livedesk.media.sdp;

import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.SetupRole;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hands the bridge's SDP to a real headless Chromium (TESTING.md): the answer to Chromium's own
 * offer and the bridge's offer must both be accepted by {@code setRemoteDescription}, and the
 * SDP Chromium produces must parse. Skipped where /usr/bin/chromium is not installed. ICE does
 * not connect here (nothing listens on the advertised candidate); only SDP is under test.
 */
class ChromiumAcceptsSdpIT {

    /** Resolves with the offer after gathering, keeping the connection as window.pc. */
    private static final String MAKE_OFFER = """
            const done = arguments[arguments.length - 1];
            (async () => {
              // about:blank is no secure context, so no getUserMedia: synthesise an audio and a video track.
              const canvas = document.createElement('canvas');
              canvas.getContext('2d').fillRect(0, 0, 10, 10);
              const audio = new AudioContext().createMediaStreamDestination();
              const stream = new MediaStream([audio.stream.getAudioTracks()[0], canvas.captureStream(10).getVideoTracks()[0]]);
              const pc = new RTCPeerConnection();
              window.pc = pc;
              window.remoteStreams = [];
              pc.ontrack = e => window.remoteStreams.push(e.streams.map(s => s.id).join(','));
              stream.getTracks().forEach(t => pc.addTrack(t, stream));
              await pc.setLocalDescription(await pc.createOffer());
              if (pc.iceGatheringState !== 'complete') {
                await new Promise(r => pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r());
              }
              done(pc.localDescription.sdp);
            })().catch(e => done('ERROR ' + e));
            """;

    private static final String APPLY_ANSWER = """
            const done = arguments[arguments.length - 1];
            window.pc.setRemoteDescription({type: 'answer', sdp: arguments[0]})
              .then(() => done('OK ' + window.pc.getTransceivers().map(t => t.mid + ':' + t.currentDirection).join(' ')
                               + ' streams=' + window.remoteStreams.join(';')))
              .catch(e => done('ERROR ' + e));
            """;

    private static final String ANSWER_OFFER = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const pc = new RTCPeerConnection();
              const streams = [];
              pc.ontrack = e => streams.push(e.transceiver.mid + '=' + e.streams.map(s => s.id).join(','));
              await pc.setRemoteDescription({type: 'offer', sdp: arguments[0]});
              await pc.setLocalDescription(await pc.createAnswer());
              done(JSON.stringify({sdp: pc.localDescription.sdp, streams: streams}));
            })().catch(e => done(JSON.stringify({error: String(e)})));
            """;

    private static Chromium chromium;
    private static ChromeDriver driver;

    @BeforeAll
    static void startChromium() throws Exception {
        chromium = new Chromium();
        driver = chromium.driver();
        driver.get("about:blank");
    }

    @AfterAll
    static void stopChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    private static String run(String script, Object... args) {
        return String.valueOf(((JavascriptExecutor) driver).executeAsyncScript(script, args));
    }

    @Test
    void chromiumAcceptsTheBridgesAnswerToItsOffer() throws Exception {
        String offerText = run(MAKE_OFFER);
        assertFalse(offerText.startsWith("ERROR"), offerText);
        SessionDescription offer = new SdpParser().parse(offerText);
        assertEquals(2, offer.bundleMids().size());
        MediaSection video = offer.media().get(1);
        assertEquals(SourceGroup.FID, video.sourceGroups().get(0).semantics(), offerText);

        ForwardedTrack staff = new ForwardedTrack(MediaType.VIDEO, "staff", "staff-cam", "cnameStaff", 2001L, 2002L);
        SessionDescription answer = new AnswerBuilder(CodecPolicy.standard(true)).answer(offer, Origin.of("1", 1),
                AnswerBuilderTest.BRIDGE, Map.of(video.mid(), AnswerIntent.sendReceive(staff)));
        String result = run(APPLY_ANSWER, new SdpWriter().write(answer));

        assertTrue(result.startsWith("OK"), result);
        assertTrue(result.contains(offer.media().get(0).mid() + ":sendonly"), result);
        assertTrue(result.contains(video.mid() + ":sendrecv"), result);
        assertTrue(result.contains("streams=staff"), result);
    }

    @Test
    void chromiumAcceptsTheBridgesOfferWithTwoRemoteVideos() throws Exception {
        SessionDescription offer = new OfferBuilder(CodecPolicy.standard(false)).offer(Origin.of("2", 1), AnswerBuilderTest.BRIDGE,
                List.of(OfferSection.receiveFromBrowser("0", MediaType.AUDIO),
                        OfferSection.receiveFromBrowser("1", MediaType.VIDEO),
                        OfferSection.forward("2", new ForwardedTrack(MediaType.AUDIO, "staff", "staff-mic", "cs", 1001L, null)),
                        OfferSection.forward("3", new ForwardedTrack(MediaType.VIDEO, "staff", "staff-cam", "cs", 2001L, 2002L)),
                        OfferSection.forward("4", new ForwardedTrack(MediaType.VIDEO, "supervisor", "sup-cam", "cv", 3001L, 3002L))));
        String json = run(ANSWER_OFFER, new SdpWriter().write(offer));

        assertFalse(json.contains("\"error\""), json);
        assertTrue(json.contains("2=staff") && json.contains("3=staff") && json.contains("4=supervisor"), json);
        String answerText = json.substring(json.indexOf("\"sdp\":\"") + 7, json.indexOf("\",\"streams\""))
                .replace("\\r\\n", "\r\n");
        SessionDescription answer = new SdpParser().parse(answerText);
        assertEquals(List.of("0", "1", "2", "3", "4"), answer.bundleMids());
        assertEquals(SetupRole.ACTIVE, answer.media().get(0).setup());
        assertEquals(Direction.RECVONLY, answer.section("4").orElseThrow().direction());
    }
}
