package io.livedesk.speech.engine;

import java.util.Objects;

import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStatus;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptListener;
import org.slf4j.LoggerFactory;

/** Speech turned off ({@code engine = off}): every open is refused with {@code DISABLED}, and the status says why. */
public final class DisabledSpeechService implements SpeechService {
    private final String why;
    private volatile boolean closed;

    public DisabledSpeechService(String why) {
        this.why = Objects.requireNonNull(why, "why");
        LoggerFactory.getLogger(DisabledSpeechService.class).info("speech disabled: {}", why);
    }

    @Override
    public SpeechStream open(StreamSpec spec, TranscriptListener listener) throws SpeechUnavailableException {
        throw new SpeechUnavailableException(closed ? SpeechUnavailableException.Reason.CLOSED
                : SpeechUnavailableException.Reason.DISABLED, "speech is disabled: " + why);
    }

    @Override
    public SpeechStatus status() {
        return closed ? SpeechStatus.of(SpeechStatus.State.CLOSED, "speech service closed")
                : SpeechStatus.of(SpeechStatus.State.DISABLED, why);
    }

    @Override
    public void close() {
        closed = true;
    }
}
