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

import io.livedesk.signaling.media.TappedLeg;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptListener;
import org.mockito.ArgumentCaptor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** What the staff side is told when the speech service refuses a leg's stream, and how the leg is tried again. */
class CallTranscriberTest {
    private static final CallRecord CALL = CallRecord.queued(CallId.of("r-1"), Subject.of("cust-1"), "Li Wei", "cards",
            "en", 0, 0);
    private static final CallRecord LIVE = CALL.offered(Subject.of("staff-1"), "Zhang Min", 1).answered(2);
    private static final Duration RETRY = Duration.ofSeconds(15);

    private final SpeechService speech = mock(SpeechService.class);
    private final TranscriptService transcripts = mock(TranscriptService.class);
    private final AudioTaps taps = mock(AudioTaps.class);
    private final ScheduledExecutorService timer = mock(ScheduledExecutorService.class);
    private final List<TranscriptListener> listeners = new ArrayList<>();
    private CallRecord current = LIVE;

    private CallTranscriber liveTranscriber() {
        when(speech.status()).thenReturn(SpeechStatus.of(SpeechStatus.State.READY, "ready"));
        when(taps.unavailable()).thenReturn(Optional.empty());
        return new CallTranscriber(speech, transcripts, id -> Optional.of(current), taps, Runnable::run, 16_000,
                Duration.ofSeconds(3), nanos -> { }, timer, RETRY);
    }

    /** Runs the retry scheduled last, as the timer would after {@link #RETRY}. */
    private void runScheduledRetry() {
        ArgumentCaptor<Runnable> task = ArgumentCaptor.forClass(Runnable.class);
        verify(timer, atLeastOnce()).schedule(task.capture(), eq(RETRY.toMillis()), eq(TimeUnit.MILLISECONDS));
        task.getValue().run();
    }

    private TappedLeg tapped() throws Exception {
        TappedLeg leg = mock(TappedLeg.class);
        doAnswer(a -> {
            listeners.add(a.getArgument(3));
            return leg;
        }).when(taps).open(any(), any(), any(), any());
        return leg;
    }

    @org.junit.jupiter.api.Test
    void aLegRefusedByTheSpeechTierIsTriedAgainAndTheStaffSideHearsWhenCaptionsAreBack() throws Exception {
        CallTranscriber transcriber = liveTranscriber();
        when(taps.open(any(), any(), any(), any())).thenThrow(
                new SpeechUnavailableException(Reason.CLOSED, "no speech node answers"));
        transcriber.legUp(LIVE, Subject.of("cust-1"), "customer");
        verify(transcripts).status(eq(LIVE), eq(Speaker.CUSTOMER), eq(CaptionStatus.UNAVAILABLE),
                eq("no speech node answers"));

        runScheduledRetry(); // still refused: tried again later, the staff side is not told twice
        verify(transcripts, times(1)).status(any(), any(), eq(CaptionStatus.UNAVAILABLE), any());
        verify(timer, times(2)).schedule(any(Runnable.class), eq(RETRY.toMillis()), eq(TimeUnit.MILLISECONDS));

        tapped();
        runScheduledRetry();
        verify(transcripts).status(eq(LIVE), eq(Speaker.CUSTOMER), eq(CaptionStatus.ACTIVE), eq(null));
        assertEquals(1, transcriber.activeLegs());
    }

    @org.junit.jupiter.api.Test
    void aStreamThatFailsMidCallIsOpenedAgain() throws Exception {
        CallTranscriber transcriber = liveTranscriber();
        tapped();
        transcriber.legUp(LIVE, Subject.of("cust-1"), "customer");
        listeners.get(0).onEvent(new TranscriptEvent.Status(TranscriptEvent.StreamState.FAILED, "speech node gone"));
        verify(transcripts).status(eq(LIVE), eq(Speaker.CUSTOMER), eq(CaptionStatus.UNAVAILABLE), eq("speech node gone"));
        assertEquals(0, transcriber.activeLegs());

        runScheduledRetry();
        assertEquals(2, listeners.size(), "a second tap was opened");
        assertEquals(1, transcriber.activeLegs());
        verify(transcripts, times(2)).status(eq(LIVE), eq(Speaker.CUSTOMER), eq(CaptionStatus.ACTIVE), eq(null));
    }

    @org.junit.jupiter.api.Test
    void aLegThatWentDownOrACallThatEndedIsNotTriedAgain() throws Exception {
        CallTranscriber transcriber = liveTranscriber();
        when(taps.open(any(), any(), any(), any())).thenThrow(new SpeechUnavailableException(Reason.CLOSED, "down"));
        transcriber.legUp(LIVE, Subject.of("cust-1"), "customer");
        transcriber.legDown(LIVE.callId(), "customer");
        runScheduledRetry();
        verify(taps, times(1)).open(any(), any(), any(), any());

        transcriber.legUp(LIVE, Subject.of("cust-1"), "customer-2");
        current = LIVE.ended(io.livedesk.signaling.call.EndReason.CUSTOMER_HANGUP, 3);
        runScheduledRetry();
        verify(taps, times(2)).open(any(), any(), any(), any());
    }

    @org.junit.jupiter.api.Test
    void aStreamThatEndsNormallyIsNotReopened() throws Exception {
        CallTranscriber transcriber = liveTranscriber();
        tapped();
        transcriber.legUp(LIVE, Subject.of("cust-1"), "customer");
        listeners.get(0).onEvent(new TranscriptEvent.Status(TranscriptEvent.StreamState.ENDED, "finished"));
        verify(timer, never()).schedule(any(Runnable.class), anyLong(), any());
    }

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
                16_000, Duration.ofSeconds(3), nanos -> { }, mock(ScheduledExecutorService.class), RETRY);

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
