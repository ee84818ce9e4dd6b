package io.livedesk.speech.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.livedesk.speech.api.Alternative;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.TranscriptEvent.Partial;
import io.livedesk.speech.api.Word;

/**
 * Reads Vosk's result JSON ({@code {"partial":…}}, {@code {"text":…,"result":[…]}}), which is also
 * what a vosk-server sends on the wire. Keys it does not know (e.g. {@code spk}) are ignored.
 */
public final class VoskJson {
    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final ObjectReader reader = mapper.reader();
    private final JsonFactory factory = mapper.getFactory();

    /** The partial text of {@code {"partial":"…"}}; streamed, as it is read once per chunk. */
    public Partial partial(String json) {
        try (JsonParser p = factory.createParser(json)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if ("partial".equals(name)) {
                        return new Partial(p.getValueAsString(""));
                    }
                    p.skipChildren();
                }
            }
            return new Partial("");
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable JSON from the recognizer", e);
        }
    }

    /** A final result; {@code withWords=false} drops the word list, as vosk-server's {@code words:false} does. */
    public Final result(String json, boolean withWords) {
        return result(tree(json), withWords);
    }

    /**
     * With {@code max_alternatives} Vosk writes {@code {"alternatives":[{"confidence":…,"text":…,
     * "result":[…]},…]}} instead: the final's text and words are then the first (best) one's.
     */
    public Final result(JsonNode node, boolean withWords) {
        JsonNode alternatives = node.path("alternatives");
        if (alternatives.isArray() && !alternatives.isEmpty()) {
            List<Alternative> list = new ArrayList<>(alternatives.size());
            for (JsonNode a : alternatives) {
                list.add(new Alternative(a.path("text").asText(""), a.path("confidence").asDouble(),
                        words(a, withWords)));
            }
            return Final.of(list.get(0).text(), list.get(0).words(), list);
        }
        return Final.of(node.path("text").asText(""), words(node, withWords));
    }

    private static List<Word> words(JsonNode node, boolean withWords) {
        JsonNode result = node.path("result");
        if (!withWords || !result.isArray() || result.isEmpty()) {
            return List.of();
        }
        List<Word> words = new ArrayList<>(result.size());
        for (JsonNode w : result) {
            words.add(new Word(w.path("word").asText(""), w.path("start").asDouble(), w.path("end").asDouble(),
                    w.path("conf").asDouble(1.0)));
        }
        return words;
    }

    public JsonNode tree(String json) {
        try {
            return reader.readTree(json);
        } catch (IOException e) {
            // libvosk writes this JSON itself; it is malformed only if libvosk is broken.
            throw new UncheckedIOException("unreadable JSON from the recognizer", e);
        }
    }
}
