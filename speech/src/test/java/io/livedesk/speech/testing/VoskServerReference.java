package io.livedesk.speech.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * What vosk-server ({@code websocket/asr_server.py}) answers, for comparing a LiveDesk node with
 * it value for value: one connection's messages run through libvosk's own recognizer the way that
 * script drives it, written here from its behaviour. Config updates the stored settings and is not
 * answered; the recognizer is created at the first other message (and again after a config with
 * {@code model}), with a grammar when there is a phrase list; {@code {"eof" : 1}} and
 * {@code {"reset" : 1}} give the final result, audio the result at an endpoint or else the partial.
 * The node's default rate (16 kHz) stands in for vosk-server's configured one.
 */
public final class VoskServerReference implements AutoCloseable {
    private static final String EOF = "{\"eof\" : 1}";
    private static final String RESET = "{\"reset\" : 1}";

    private final Model model;
    private final ObjectMapper mapper = new ObjectMapper();

    public VoskServerReference() throws IOException {
        this.model = new Model(TestModels.modelsDir().resolve(TestModels.FOLDER).toString());
    }

    /**
     * The replies to one connection's messages, in order.
     *
     * @param messages {@code byte[]} audio frames and {@code String} text frames
     */
    public List<JsonNode> replies(List<Object> messages) throws IOException {
        List<JsonNode> replies = new ArrayList<>();
        float sampleRate = 16000;
        boolean words = true;
        int maxAlternatives = 0;
        JsonNode phraseList = null;
        boolean modelChanged = false;
        Recognizer rec = null;
        try {
            for (Object message : messages) {
                if (message instanceof String text && text.contains("config")) {
                    JsonNode config = mapper.readTree(text).get("config");
                    if (config.has("phrase_list")) {
                        phraseList = config.get("phrase_list");
                    }
                    if (config.has("sample_rate")) {
                        sampleRate = (float) config.get("sample_rate").asDouble();
                    }
                    if (config.has("model")) {
                        modelChanged = true;
                    }
                    if (config.has("words")) {
                        words = config.get("words").asBoolean();
                    }
                    if (config.has("max_alternatives")) {
                        maxAlternatives = config.get("max_alternatives").asInt();
                    }
                    continue;
                }
                if (rec == null || modelChanged) {
                    modelChanged = false;
                    if (rec != null) {
                        rec.close();
                    }
                    boolean grammar = phraseList != null && phraseList.isArray() && !phraseList.isEmpty();
                    rec = grammar ? new Recognizer(model, sampleRate, mapper.writeValueAsString(phraseList))
                            : new Recognizer(model, sampleRate);
                    rec.setWords(words);
                    rec.setMaxAlternatives(maxAlternatives);
                }
                String reply;
                boolean stop = false;
                if (EOF.equals(message)) {
                    reply = rec.getFinalResult();
                    stop = true;
                } else if (RESET.equals(message)) {
                    reply = rec.getFinalResult();
                } else {
                    byte[] audio = (byte[]) message;
                    reply = rec.acceptWaveForm(audio, audio.length) ? rec.getResult() : rec.getPartialResult();
                }
                replies.add(mapper.readTree(reply));
                if (stop) {
                    break;
                }
            }
        } finally {
            if (rec != null) {
                rec.close();
            }
        }
        return replies;
    }

    @Override
    public void close() {
        model.close();
    }
}
