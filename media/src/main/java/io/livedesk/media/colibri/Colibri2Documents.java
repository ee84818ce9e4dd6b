package io.livedesk.media.colibri;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livedesk.media.api.BridgeException;

import java.io.IOException;

/**
 * Whole Colibri2 JSON documents as bytes, for both codecs: a parser bounded in size, depth and token
 * length that refuses duplicate keys and trailing data (a peer's body is untrusted either way), and the
 * writer.
 */
final class Colibri2Documents {
    /** Upper bound of a document either codec will parse; the HTTP layer has its own (smaller) limit. */
    static final int MAX_DOCUMENT_BYTES = 1 << 20;
    /** Bound on short texts: names, ids, field names. */
    static final int MAX_TEXT = 256;

    private final ObjectMapper mapper;

    Colibri2Documents() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_DOCUMENT_BYTES)
                        .maxNestingDepth(32)
                        .maxStringLength(16 * 1024)
                        .maxNumberLength(32)
                        .maxNameLength(MAX_TEXT)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    JsonNode read(byte[] body) throws BridgeException.BadRequest {
        if (body == null || body.length == 0) {
            throw new BridgeException.BadRequest("the body is empty; expected a JSON object");
        }
        if (body.length > MAX_DOCUMENT_BYTES) {
            throw new BridgeException.BadRequest("the body is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        try {
            JsonNode tree = mapper.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new BridgeException.BadRequest("the body is empty; expected a JSON object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new BridgeException.BadRequest("malformed JSON: " + brief(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new BridgeException.BadRequest("unreadable body: " + brief(e.getMessage()));
        }
    }

    byte[] write(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // A tree of plain nodes always serializes; anything else is a bug here.
            throw new IllegalStateException("cannot serialize Colibri2 JSON", e);
        }
    }

    private static String brief(String message) {
        if (message == null) {
            return "syntax error";
        }
        String line = message.replaceAll("[^\\x20-\\x7e]", "?");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
