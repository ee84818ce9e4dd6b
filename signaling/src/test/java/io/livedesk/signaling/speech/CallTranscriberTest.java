package io.livedesk.signaling.speech;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.media.AudioTaps;
import io.livedesk.signaling.transcript.CaptionStatus;
import io.livedesk.signaling.transcript.Speaker;
import io.livedesk.signaling.transcript.TranscriptService;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStatus;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.SpeechUnavailableException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** What the staff side is told when the speech service refuses a leg's stream. */
class CallTranscriberTest {
    private static final CallRecord CALL = CallRecord.queued(CallId.of("r-1"), Subject.of("cust-1"), "Li Wei", "cards",
            "en", 0, 0);

    /** The refusal's reason decides, whatever its message says. */
    @ParameterizedTest
    @CsvSource({
            "OVERLOADED, '3 remote streams open (max-streams 3)', SHED",
            "UNSUPPORTED, 'no model for language xx (not an overload)', UNAVAILABLE",
            "CLOSED, 'closed', UNAVAILABLE"})
    void aRefusedStreamIsShedOnlyWhenTheServiceWasOverloaded(Reason reason, String message, CaptionStatus told)
            throws Exception {
        SpeechService speech = mock(SpeechService.class);
        when(speech.status()).thenReturn(SpeechStatus.of(SpeechStatus.State.READY, "ready"));
        TranscriptService transcripts = mock(TranscriptService.class);
        AudioTaps taps = mock(AudioTaps.class);
        when(taps.unavailable()).thenReturn(Optional.empty());
        when(taps.open(any(), any(), any(), any())).thenThrow(new SpeechUnavailableException(reason, message));
        CallTranscriber transcriber = new CallTranscriber(speech, transcripts, id -> Optional.of(CALL), taps, Runnable::run,
                16_000, Duration.ofSeconds(3), nanos -> { });

        transcriber.legUp(CALL, Subject.of("cust-1"), "customer");

        verify(transcripts).status(eq(CALL), eq(Speaker.CUSTOMER), eq(told), eq(message));
    }

    @org.junit.jupiter.api.Test
    void theEndpointIdNamesTheSpeaker() {
        assertEquals(Speaker.CUSTOMER, CallTranscriber.speakerOf("customer"));
        assertEquals(Speaker.CUSTOMER, CallTranscriber.speakerOf("customer-2"));
        assertEquals(Speaker.STAFF, CallTranscriber.speakerOf("staff-1"));
        assertEquals(Speaker.SUPERVISOR, CallTranscriber.speakerOf("supervisor-3"));
    }
}
