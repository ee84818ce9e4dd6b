package io.livedesk.speech.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.speech.api.RecognizerOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * The Vosk models, one per language, loaded once at start-up from folders under a models folder
 * (or absolute paths), e.g. {@code en -> vosk-model-small-en-us-0.15}. A folder that is missing,
 * unreadable or not a model stops the start with a {@link SpeechModelException} naming it: a node
 * that silently runs without the language it was configured for is worse than one that does not start.
 *
 * <p>Models are read-only and shared by all of their language's recognizers across threads, as
 * libvosk intends. {@link #close()} frees them.
 */
public final class SpeechModels implements DecoderFactory {
    private static final Logger log = LoggerFactory.getLogger(SpeechModels.class);
    /** Kaldi's default when a model's conf/mfcc.conf names no rate. */
    private static final int DEFAULT_MODEL_RATE = 16000;

    private record Loaded(Model model, Path folder, int sampleRate, boolean allowUpsample) {}

    private final Map<String, Loaded> models;
    /** Writes phrase lists as the JSON array libvosk's grammar recognizer takes. */
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    private SpeechModels(Map<String, Loaded> models) {
        this.models = models;
        open.set(models.size());
    }

    /**
     * Loads every configured model, or none: on the first failure the ones already loaded are freed.
     *
     * @param modelsDir folder that relative model folders are resolved against
     * @param folders   language -> model folder, in the order to report them
     */
    public static SpeechModels load(Path modelsDir, Map<String, String> folders) {
        Objects.requireNonNull(modelsDir, "modelsDir");
        Objects.requireNonNull(folders, "folders");
        // libvosk logs every model file it reads at INFO to stderr; warnings and errors are enough.
        LibVosk.setLogLevel(LogLevel.WARNINGS);
        Map<String, Loaded> loaded = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : folders.entrySet()) {
                String language = e.getKey();
                Path folder = modelsDir.resolve(e.getValue()).toAbsolutePath().normalize();
                loaded.put(language, loadOne(language, folder));
            }
        } catch (RuntimeException e) {
            loaded.values().forEach(l -> l.model().close());
            throw e;
        }
        return new SpeechModels(loaded);
    }

    private static Loaded loadOne(String language, Path folder) {
        if (!Files.exists(folder)) {
            throw new SpeechModelException("speech model for '" + language + "': folder " + folder + " does not exist");
        }
        if (!Files.isDirectory(folder) || !Files.isReadable(folder)) {
            throw new SpeechModelException("speech model for '" + language + "': " + folder
                    + " is not a readable folder");
        }
        Path am = folder.resolve("am").resolve("final.mdl");
        if (!Files.isReadable(am)) {
            throw new SpeechModelException("speech model for '" + language + "': folder " + folder
                    + " is not a Vosk model (no readable am/final.mdl)");
        }
        int rate = DEFAULT_MODEL_RATE;
        boolean upsample = false;
        Path mfcc = folder.resolve("conf").resolve("mfcc.conf");
        if (Files.isReadable(mfcc)) {
            try {
                for (String line : Files.readAllLines(mfcc, StandardCharsets.UTF_8)) {
                    String l = line.strip();
                    if (l.startsWith("--sample-frequency=")) {
                        rate = (int) Double.parseDouble(l.substring("--sample-frequency=".length()));
                    } else if (l.startsWith("--allow-upsample=")) {
                        upsample = Boolean.parseBoolean(l.substring("--allow-upsample=".length()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                throw new SpeechModelException("speech model for '" + language + "': cannot read " + mfcc, e);
            }
        }
        long started = System.nanoTime();
        Model model;
        try {
            model = new Model(folder.toString());
        } catch (IOException | RuntimeException e) {
            throw new SpeechModelException("speech model for '" + language + "': libvosk could not load folder "
                    + folder + " (" + e.getMessage() + ")", e);
        }
        log.info("speech model for '{}' loaded from {} in {} ms ({} Hz)", language, folder,
                (System.nanoTime() - started) / 1_000_000, rate);
        return new Loaded(model, folder, rate, upsample);
    }

    @Override
    public List<String> languages() {
        return new ArrayList<>(models.keySet());
    }

    @Override
    public int minSampleRate(String language) {
        Loaded l = require(language);
        return l.allowUpsample() ? 8000 : l.sampleRate();
    }

    /** The folder a language's model was loaded from. */
    public Path folder(String language) {
        return require(language).folder();
    }

    /** The folder's own name and its full path: what a vosk-server client would put in config's {@code model}. */
    @Override
    public List<String> modelNames(String language) {
        Path folder = require(language).folder();
        return List.of(folder.getFileName().toString(), folder.toString());
    }

    @Override
    public Decoder open(String language, int sampleRate, RecognizerOptions options) throws IOException {
        if (closed) {
            throw new IOException("speech models are closed");
        }
        Model model = require(language).model();
        Recognizer recognizer = options.hasGrammar()
                ? new Recognizer(model, sampleRate, grammar(options))
                : new Recognizer(model, sampleRate);
        try {
            // Word timings are cheap and captions want them; the wire format drops them when not asked for.
            recognizer.setWords(true);
            if (options.maxAlternatives() > 0) {
                recognizer.setMaxAlternatives(options.maxAlternatives());
            }
        } catch (RuntimeException e) {
            recognizer.close();
            throw e;
        }
        return new VoskDecoder(recognizer);
    }

    private String grammar(RecognizerOptions options) {
        try {
            return mapper.writeValueAsString(options.phraseList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a phrase list", e);
        }
    }

    /** Models not yet freed (for tests and status). */
    public int openModels() {
        return open.get();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Loaded l : models.values()) {
            l.model().close();
            open.decrementAndGet();
        }
    }

    private Loaded require(String language) {
        Loaded l = models.get(language);
        if (l == null) {
            throw new IllegalArgumentException("no speech model for language '" + language + "'");
        }
        return l;
    }
}
