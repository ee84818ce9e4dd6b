package io.livedesk.signaling.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.routing.RequestId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads client frames into {@link ClientMessage}s, strictly, and writes {@link ServerMessage}s.
 * Every way a frame can be wrong becomes a {@link ProtocolException} with a stable code and a message
 * that names the field, never a stack trace or a class name.
 */
public final class MessageCodec {

    /** The request id, when one could be read, and the failure. */
    public static final class InvalidFrame extends ProtocolException {
        private final String requestId;

        InvalidFrame(String requestId, ErrorCode code, String message) {
            super(code, message);
            this.requestId = requestId;
        }

        public String requestId() {
            return requestId;
        }
    }

    /** Ids read typed from a frame: one that is no id is refused naming its field, whatever the type says. */
    private static final Set<Class<?>> ID_TYPES = Set.of(CallId.class, RequestId.class, Subject.class, BroadcastId.class);

    private final ObjectMapper mapper;

    public MessageCodec() {
        JsonMapper m = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(64 * 1024).maxNumberLength(20).build());
        m.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        m.coercionConfigFor(String.class)
                .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        this.mapper = m;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public ClientMessage read(String frame) {
        JsonNode tree;
        try {
            tree = mapper.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new InvalidFrame(null, ErrorCode.BAD_JSON, "frame is not valid JSON");
        }
        if (!(tree instanceof ObjectNode obj)) {
            throw new InvalidFrame(null, ErrorCode.BAD_JSON, "frame must be a JSON object");
        }
        JsonNode idNode = obj.get("id");
        String id = idNode != null && idNode.isTextual() && ClientMessage.ID.matcher(idNode.asText()).matches()
                ? idNode.asText() : null;
        JsonNode type = obj.get("type");
        if (type == null || !type.isTextual()) {
            throw new InvalidFrame(id, ErrorCode.BAD_MESSAGE, "type is required and must be a string");
        }
        try {
            return mapper.treeToValue(obj, ClientMessage.class);
        } catch (InvalidTypeIdException e) {
            throw new InvalidFrame(id, ErrorCode.UNKNOWN_TYPE, "unknown message type \"" + clip(type.asText()) + "\"");
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidFrame(id, ErrorCode.BAD_MESSAGE, "unknown field \"" + clip(e.getPropertyName()) + "\"");
        } catch (ValueInstantiationException e) {
            if (ID_TYPES.contains(e.getType().getRawClass()) && !e.getPath().isEmpty()) {
                throw new InvalidFrame(id, ErrorCode.BAD_MESSAGE, clip(e.getPath().get(e.getPath().size() - 1).getFieldName())
                        + " is not a valid id");
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new InvalidFrame(id, ErrorCode.BAD_MESSAGE, cause.getMessage());
        } catch (MismatchedInputException e) {
            throw new InvalidFrame(id, ErrorCode.BAD_MESSAGE, "field " + path(e) + " has the wrong type");
        } catch (StreamReadException e) {
            throw new InvalidFrame(id, ErrorCode.BAD_JSON, "frame is not valid JSON");
        } catch (JsonProcessingException e) {
            throw new InvalidFrame(id, ErrorCode.BAD_MESSAGE, "message is not valid");
        }
    }

    /**
     * The request id of a frame that will not be decoded (refused before it, as too many or too large), so the
     * error can still echo it: reads the top-level fields only as far as {@code id}. Null when there is none,
     * it is not a valid id, or the frame is not a JSON object.
     */
    public String requestId(ByteBuf frame) {
        try (JsonParser p = mapper.getFactory().createParser((InputStream) new ByteBufInputStream(frame.duplicate()))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("id".equals(field)) {
                    return value == JsonToken.VALUE_STRING && ClientMessage.ID.matcher(p.getText()).matches()
                            ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    public String write(ServerMessage message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String path(MismatchedInputException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "(message)" : "\"" + clip(p) + "\"";
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        String printable = s.replaceAll("[^\\p{Print}]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
