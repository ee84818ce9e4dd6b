package io.livedesk.speech.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;

/**
 * The synthetic energy model in the test resources (a copy of the shared testdata): real libvosk
 * loads it and emits the word {@code speech} for each voiced stretch, nothing for silence.
 */
public final class TestModels {
    public static final String FOLDER = "vosk-energy-model";

    private TestModels() {
    }

    /** The folder that holds the model folder (the "models dir"). */
    public static Path modelsDir() {
        URL url = TestModels.class.getResource("/" + FOLDER);
        if (url == null) {
            throw new IllegalStateException("test resource /" + FOLDER + " is missing");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** language en -> the synthetic model. */
    public static Map<String, String> english() {
        return Map.of("en", FOLDER);
    }
}
