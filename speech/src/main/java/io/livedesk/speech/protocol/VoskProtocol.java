package io.livedesk.speech.protocol;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.Word;
import jakarta.websocket.CloseReason.CloseCodes;

/**
 * Reads client text frames and writes replies in vosk-server's JSON. Strict where vosk-server is
 * lax: an unknown key or a bad value is an error the client can read, not a silent default.
 *
 * <p>Close codes: malformed JSON 1007; valid JSON that is neither config nor eof 1003 (audio must
 * come in binary frames); a config value we do not serve 1008.
 */
public final class VoskProtocol {
    /** What vosk-server's own clients send; the Python server compares this exact string. */
    public static final String EOF = "{\"eof\" : 1}";
    /** The longest text frame worth parsing: a config or an eof is far shorter. */
    public static final int MAX_TEXT_BYTES = 4096;

    private final ObjectMapper mapper = new ObjectMapper();

    /** Parses one client text frame. */
    public VoskClientMessage parse(String text) throws VoskProtocolException {
        if (text.length() > MAX_TEXT_BYTES) {
            throw new VoskProtocolException(CloseCodes.TOO_BIG, "text message of " + text.length()
                    + " characters; a config or eof is at most " + MAX_TEXT_BYTES);
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
            JsonNode v = root.get("eof");
            if (!(v.isIntegralNumber() && v.asInt() == 1) && !v.isBoolean()) {
                throw new VoskProtocolException(CloseCodes.CANNOT_ACCEPT, "eof must be 1, got " + brief(v));
            }
            return new VoskClientMessage.Eof();
        }
        if (root.has("config")) {
            return config(root.get("config"));
        }
        throw new VoskProtocolException(CloseCodes.CANNOT_ACCEPT, "unexpected text message with key '"
                + brief(root.fieldNames().next()) + "'" + expected());
    }

    private static String expected() {
        return "; text messages are {\"config\":{…}} or {\"eof\":1}, audio goes in binary messages";
    }

    private static VoskClientMessage.Config config(JsonNode config) throws VoskProtocolException {
        if (!config.isObject()) {
            throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY, "config must be an object, got " + brief(config));
        }
        Integer sampleRate = null;
        Boolean words = null;
        Integer maxAlternatives = null;
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
                    if (!v.isIntegralNumber() || v.asInt() != 0) {
                        throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY,
                                "max_alternatives other than 0 is not supported, got " + brief(v));
                    }
                    maxAlternatives = 0;
                    break;
                case "phrase_list":
                    throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY, "phrase_list is not supported");
                case "model":
                    throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY,
                            "model is chosen by the URL path (/{language}), not by config");
                default:
                    throw new VoskProtocolException(CloseCodes.VIOLATED_POLICY, "unknown config key '" + brief(e.getKey())
                            + "' (known: sample_rate, words, max_alternatives)");
            }
        }
        return new VoskClientMessage.Config(sampleRate, words, maxAlternatives);
    }

    /** At most 32 characters of a client's value, for error messages (which are also logged). */
    private static String brief(Object value) {
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

    /** {@code {"text":"…","result":[…]}}; no {@code result} without words, as Vosk does. */
    public String result(Final f) {
        ObjectNode root = mapper.createObjectNode();
        if (!f.words().isEmpty()) {
            ArrayNode result = root.putArray("result");
            for (Word w : f.words()) {
                result.addObject().put("conf", w.conf()).put("end", w.end()).put("start", w.start())
                        .put("word", w.word());
            }
        }
        root.put("text", f.text());
        return write(root);
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
