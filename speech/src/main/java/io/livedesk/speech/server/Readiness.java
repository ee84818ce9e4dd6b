package io.livedesk.speech.server;

import java.util.Locale;
import java.util.Optional;

import io.livedesk.speech.api.SpeechStatus;
import io.livedesk.speech.engine.LocalSpeechService;

/**
 * What {@code /readyz} says: ready exactly when a new stream of the node's default language would
 * be admitted now. A load balancer that sends connections to a node whose readiness says yes must
 * not see them refused (issue 13: ready while every stream was refused), so this asks the same
 * admission check {@link LocalSpeechService#open} makes, not just whether the engine runs.
 *
 * @param detail one line: the engine when ready; the state and reason (e.g. the overload) when not
 */
record Readiness(boolean ready, String detail) {

    static Readiness of(LocalSpeechService service, String language) {
        SpeechStatus status = service.status();
        if (!status.ready()) {
            return new Readiness(false, status.state().name().toLowerCase(Locale.ROOT) + ": " + status.detail());
        }
        Optional<String> refusal = service.refusal(language);
        return refusal.map(r -> new Readiness(false, "not admitting '" + language + "' streams: " + r))
                .orElseGet(() -> new Readiness(true, "ready: " + status.detail()));
    }
}
