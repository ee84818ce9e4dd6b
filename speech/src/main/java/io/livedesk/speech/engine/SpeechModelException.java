package io.livedesk.speech.engine;

/** A configured model could not be loaded; the message names the language and the folder. */
public final class SpeechModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpeechModelException(String message) {
        super(message);
    }

    public SpeechModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
