package io.livedesk.speech;

import java.util.Objects;

import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.client.RemoteSpeechService;
import io.livedesk.speech.engine.DisabledSpeechService;
import io.livedesk.speech.engine.LocalSpeechService;
import io.livedesk.speech.engine.SpeechModelException;

/** Builds the {@link SpeechService} a {@link SpeechConfig} describes. */
public final class SpeechServices {
    private SpeechServices() {
    }

    /**
     * Local: loads the models now (seconds for real models), so call it at start-up. Remote:
     * connects nothing until a stream opens. Off: a service that refuses every stream.
     *
     * @throws SpeechModelException when a configured model folder is missing or unreadable; the
     *     message names the language and the folder
     */
    public static SpeechService create(SpeechConfig config) {
        Objects.requireNonNull(config, "config");
        switch (config.engine()) {
            case LOCAL:
                return LocalSpeechService.start(config.modelsDir(), config.models(), config.local());
            case REMOTE:
                return new RemoteSpeechService(config.remote());
            case OFF:
            default:
                return new DisabledSpeechService("speech engine is off in the configuration");
        }
    }
}
