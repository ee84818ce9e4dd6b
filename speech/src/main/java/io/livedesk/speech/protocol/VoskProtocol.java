package io.livedesk.speech.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livedesk.speech.api.Alternative;
import io.livedesk.speech.api.RecognizerOptions;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.Word;
import jakarta.websocket.CloseReason.CloseCodes;

/**
 * Reads client text frames and writes replies in vosk-server's JSON. Strict where vosk-server is
 * lax: an unknown key or a bad value is an error the client can read, not a silent default.
 *
 * <p>Close codes: malformed JSON 1007; valid JSON that is not config, eof or reset 1003 (audio must
 * come in binary frames); a config value we do not serve 1008.
 */
public final class VoskProtocol {
    /** What vosk-server's own clients send; the Python server compares this exact string. */
    public static final String EOF = "{\"eof\" : 1}";
    /** vosk-server's reset message, in its own clients' spelling. */
    public static final String RESET = "{\"reset\" : 1}";
    /**
     * The longest text frame worth parsing: room for a phrase list of a few hundred phrases (vosk-server
     * has no bound; {@link RecognizerOptions} bounds what one may hold).
     */
    public static final int MAX_TEXT_BYTES = 64 * 1024;
    /** The longest model name worth comparing with the node's own. */
    public static final int MAX_MODEL_CHARS = 512;

    private final ObjectMapper mapper = new ObjectMapper();

    /** Parses one client text frame. */
    public VoskClientMessage parse(String text) throws VoskProtocolException {
        if (text.length() > MAX_TEXT_BYTES) {
            throw new VoskProtocolException(CloseCodes.TOO_BIG, "text message of " + text.length()
                    + " characters; a config, eof or reset is at most " + MAX_TEXT_BYTES);
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            // Only where, not what: the error is logged, and the text could be anything the client sent.
            String at = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            throw new VoskProtocolException(CloseCodes.NOT_CONSISTENT, "malformed JSON in a text message" + at
                    + expected());
        }
        if (root == null || !root.isObject() || root.size() != 1) {
            throw new VoskProtocolException(CloseCodes.CANNOT_ACCEPT, "unexpected text message" + expected());
        }
        if (root.has("eof")) {
            one(root, "eof");
            return new VoskClientMessage.Eof();
        }
        if (root.has("reset")) {
            one(root, "reset");
            return new VoskClientMessage.Reset();
        }
        if (root.has("config")) {
            return config(root.get("config"));
        }
        throw new VoskProtocolException(CloseCodes.CANNOT_ACCEPT, "unexpected text message with key '"
                + brief(root.fieldNames().next()) + "'" + expected());
    }

    /** eof and reset carry 1 (vosk-server compares the whole text with {@code {"eof" : 1}}); true is fine too. */
    private static void one(JsonNode root, String key) throws VoskProtocolException {
        JsonNode v = root.get(key);
        if (!(v.isIntegralNumber() && v.asInt() == 1) && !v.isBoolean()) {
            throw new VoskProtocolException(CloseCodes.CANNOT_ACCEPT, key + " must be 1, got " + brief(v));
        }
    }

    private static String expected() {
        return "; text messages are {\"config\":{…}}, {\"eof\":1} or {\"reset\":1}, audio goes in binary messages";
    }

    private static VoskClientMessage.Config config(JsonNode config) throws VoskProtocolException {
        if (!config.isObject()) {
            throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY, "config must be an object, got " + brief(config));
        }
        Integer sampleRate = null;
        Boolean words = null;
        Integer maxAlternatives = null;
        List<String> phraseList = null;
        String model = null;
        for (Map.Entry<String, JsonNode> e : config.properties()) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "sample_rate":
                    // vosk-server takes it as a float; 16000 and 16000.0 are both fine, 16000.5 is not a rate.
                    if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble())
                            || v.asDouble() < StreamSpec.MIN_SAMPLE_RATE || v.asDouble() > StreamSpec.MAX_SAMPLE_RATE) {
                        throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY, "unsupported sample_rate " + brief(v)
                                + ": expected a whole number of Hz from " + StreamSpec.MIN_SAMPLE_RATE + " to "
                                + StreamSpec.MAX_SAMPLE_RATE);
                    }
                    sampleRate = (int) v.asDouble();
                    break;
                case "words":
                    if (v.isBoolean()) {
                        words = v.asBoolean();
                    } else if (v.isIntegralNumber() && (v.asInt() == 0 || v.asInt() == 1)) {
                        words = v.asInt() == 1;
                    } else {
                        throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY, "words must be true or false, got " + brief(v));
                    }
                    break;
                case "max_alternatives":
                    if (!v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > RecognizerOptions.MAX_ALTERNATIVES) {
                        throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY, "max_alternatives must be a whole "
                                + "number from 0 to " + RecognizerOptions.MAX_ALTERNATIVES + ", got " + brief(v));
                    }
                    maxAlternatives = v.asInt();
                    break;
                case "phrase_list":
                    phraseList = phraseList(v);
                    break;
                case "model":
                    if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_MODEL_CHARS) {
                        throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY,
                                "model must name one of this node's models, got " + brief(v));
                    }
                    model = v.asText();
                    break;
                default:
                    throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY, "unknown config key '" + brief(e.getKey())
                            + "' (known: sample_rate, words, max_alternatives, phrase_list, model)");
            }
        }
        return new VoskClientMessage.Config(sampleRate, words, maxAlternatives, phraseList, model);
    }

    /** A JSON array of strings, bounded as {@link RecognizerOptions} is; null and [] mean no grammar. */
    private static List<String> phraseList(JsonNode v) throws VoskProtocolException {
        if (v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY,
                    "phrase_list must be an array of strings, got " + brief(v));
        }
        if (v.size() > RecognizerOptions.MAX_PHRASES) {
            throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY, "phrase_list of " + v.size()
                    + " phrases; at most " + RecognizerOptions.MAX_PHRASES);
        }
        List<String> phrases = new ArrayList<>(v.size());
        for (JsonNode p : v) {
            if (!p.isTextual() || p.asText().length() > RecognizerOptions.MAX_PHRASE_CHARS) {
                throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY, "phrase_list entries must be strings of "
                        + "at most " + RecognizerOptions.MAX_PHRASE_CHARS + " characters, got " + brief(p));
            }
            phrases.add(p.asText());
        }
        return phrases;
    }

    /** At most 32 characters of a client's value, for error messages (which are also logged): never more of what it sent. */
    public static String brief(Object value) {
        String s = String.valueOf(value);
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }

    /** {@code {"config":{"sample_rate":…,"words":…}}}, what our client sends first. */
    public String config(int sampleRate, boolean words) {
        ObjectNode root = mapper.createObjectNode();
        root.putObject("config").put("sample_rate", sampleRate).put("words", words);
        return write(root);
    }

    /** {@code {"partial":"…"}}. */
    public String partial(String text) {
        return write(mapper.createObjectNode().put("partial", text));
    }

    /**
     * {@code {"text":"…","result":[…]}}; no {@code result} without words, as Vosk does. A final with
     * alternatives is Vosk's {@code {"alternatives":[{"confidence":…,"result":[…],"text":…},…]}}
     * (words there have no {@code conf}, as in Vosk).
     */
    public String result(Final f) {
        ObjectNode root = mapper.createObjectNode();
        if (!f.alternatives().isEmpty()) {
            ArrayNode list = root.putArray("alternatives");
            for (Alternative a : f.alternatives()) {
                ObjectNode entry = list.addObject().put("confidence", a.confidence());
                words(entry, a.words(), false);
                entry.put("text", a.text());
            }
            return write(root);
        }
        words(root, f.words(), true);
        root.put("text", f.text());
        return write(root);
    }

    private static void words(ObjectNode into, List<Word> words, boolean withConf) {
        if (words.isEmpty()) {
            return;
        }
        ArrayNode result = into.putArray("result");
        for (Word w : words) {
            ObjectNode word = result.addObject();
            if (withConf) {
                word.put("conf", w.conf());
            }
            word.put("end", w.end()).put("start", w.start()).put("word", w.word());
        }
    }

    /** {@code {"error":"…"}}: sent before the server closes the connection for a reason. */
    public String error(String message) {
        return write(mapper.createObjectNode().put("error", message));
    }

    /** A server reply, for the client side: partial, result or error. */
    public JsonNode reply(String text) throws IOException {
        JsonNode node = mapper.readTree(text);
        if (node == null || !node.isObject()) {
            throw new IOException("reply is not a JSON object");
        }
        return node;
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
