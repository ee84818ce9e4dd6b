package io.livedesk.media.colibri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livedesk.media.api.BridgeException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed, bounded access to the fields of one JSON object, remembering its path (e.g.
 * {@code endpoints[0].medias[1].payload-types[0]}) so that every failure becomes a
 * {@link BridgeException.BadRequest} that says exactly which field is wrong and why.
 *
 * <p>It also records which fields were read. A {@linkplain #strict strict} reader (a bridge reading a
 * request) then refuses the fields it does not know ({@link #rejectUnread()}, {@link #refuse}) instead of
 * silently dropping a feature the sender asked for; a {@linkplain #tolerant tolerant} one (a client
 * reading a reply) skips them, so a newer bridge's additions do not break it. Both check the fields they
 * use. Objects nested in either are read the same way. An explicit JSON {@code null} counts as absent.
 */
final class JsonFields {

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}");

    private enum Unknown { REFUSED, SKIPPED }

    private final ObjectNode node;
    private final String path;
    private final Unknown unknown;
    private final Set<String> read = new HashSet<>();

    private JsonFields(ObjectNode node, String path, Unknown unknown) {
        this.node = node;
        this.path = path;
        this.unknown = unknown;
    }

    /** The object at {@code path}, read as a bridge reads a request; fails unless it is a JSON object. */
    static JsonFields strict(JsonNode value, String path) throws BridgeException.BadRequest {
        return of(value, path, Unknown.REFUSED);
    }

    /** The object at {@code path}, read as a client reads a reply; fails unless it is a JSON object. */
    static JsonFields tolerant(JsonNode value, String path) throws BridgeException.BadRequest {
        return of(value, path, Unknown.SKIPPED);
    }

    /** An object nested in this one, read the same way. */
    JsonFields nested(JsonNode value, String nestedPath) throws BridgeException.BadRequest {
        return of(value, nestedPath, unknown);
    }

    /** Element {@code index} of this object's array {@code field}, read the same way. */
    JsonFields element(JsonNode value, String field, int index) throws BridgeException.BadRequest {
        return nested(value, element(pathOf(field), index));
    }

    private static JsonFields of(JsonNode value, String path, Unknown unknown) throws BridgeException.BadRequest {
        if (!(value instanceof ObjectNode object)) {
            throw bad(path, "must be a JSON object");
        }
        return new JsonFields(object, path, unknown);
    }

    String path() {
        return path;
    }

    String pathOf(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** Marks fields as read (known and deliberately ignored). */
    void ignore(String... fields) {
        read.addAll(List.of(fields));
    }

    /** Fails, when strict, if the sender asked for something this bridge does not do. */
    void refuse(String field, String why) throws BridgeException.BadRequest {
        read.add(field);
        if (unknown == Unknown.REFUSED && has(field)) {
            throw bad(pathOf(field), "is not supported: " + why);
        }
    }

    /** Fails, when strict, on the first field that was neither read, ignored nor refused. */
    void rejectUnread() throws BridgeException.BadRequest {
        if (unknown == Unknown.SKIPPED) {
            return;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!read.contains(name)) {
                throw bad(pathOf(printable(name)), "is not a supported field");
            }
        }
    }

    String requiredString(String field, int maxLength) throws BridgeException.BadRequest {
        String value = optionalString(field, maxLength);
        if (value == null) {
            throw bad(pathOf(field), "is required");
        }
        return value;
    }

    /** A string that must match {@code pattern} (ids that end up in URLs, logs and SDP). */
    String requiredToken(String field, Pattern pattern) throws BridgeException.BadRequest {
        String value = requiredString(field, 256);
        if (!pattern.matcher(value).matches()) {
            throw bad(pathOf(field), "must match " + pattern.pattern());
        }
        return value;
    }

    String optionalString(String field, int maxLength) throws BridgeException.BadRequest {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw bad(pathOf(field), "must be a string");
        }
        String text = value.textValue();
        if (text.length() > maxLength) {
            throw bad(pathOf(field), "is longer than " + maxLength + " characters");
        }
        return text;
    }

    /** A string, or a number written as text (Colibri2 writes parameters as strings; be kind to numbers). */
    String scalarText(String field, int maxLength) throws BridgeException.BadRequest {
        JsonNode value = value(field);
        if (value != null && value.isNumber()) {
            return value.asText();
        }
        return optionalString(field, maxLength);
    }

    boolean bool(String field, boolean absent) throws BridgeException.BadRequest {
        JsonNode value = value(field);
        if (value == null) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw bad(pathOf(field), "must be true or false");
        }
        return value.booleanValue();
    }

    long requiredNumber(String field, long min, long max) throws BridgeException.BadRequest {
        Long value = optionalNumber(field, min, max);
        if (value == null) {
            throw bad(pathOf(field), "is required");
        }
        return value;
    }

    /**
     * An integer in {@code [min, max]}, given either as a JSON integer or as a decimal string: Colibri2
     * writes payload-type ids, clock rates and every candidate number as strings, SSRCs and header
     * extension ids as numbers.
     */
    Long optionalNumber(String field, long min, long max) throws BridgeException.BadRequest {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        return number(value, pathOf(field), min, max);
    }

    static long number(JsonNode value, String path, long min, long max) throws BridgeException.BadRequest {
        long number;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            number = value.longValue();
        } else if (value.isTextual() && DECIMAL.matcher(value.textValue()).matches()) {
            try {
                number = Long.parseLong(value.textValue());
            } catch (NumberFormatException e) {
                throw bad(path, "is out of range");
            }
        } else {
            throw bad(path, "must be an integer");
        }
        if (number < min || number > max) {
            throw bad(path, "must be between " + min + " and " + max);
        }
        return number;
    }

    /** A JSON number (integral or not), e.g. a stress level. */
    Double optionalDecimal(String field) throws BridgeException.BadRequest {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw bad(pathOf(field), "must be a number");
        }
        double number = value.doubleValue();
        if (!Double.isFinite(number)) {
            throw bad(pathOf(field), "must be finite");
        }
        return number;
    }

    /** A counter in a statistics document: absent means 0. */
    long counter(String field) throws BridgeException.BadRequest {
        Long value = optionalNumber(field, 0, Long.MAX_VALUE);
        return value == null ? 0 : value;
    }

    /** A number, or {@code absent} when there is none. */
    double decimal(String field, double absent) throws BridgeException.BadRequest {
        Double value = optionalDecimal(field);
        return value == null ? absent : value;
    }

    /** The nested object, or null when absent. */
    JsonFields optionalObject(String field) throws BridgeException.BadRequest {
        JsonNode value = value(field);
        return value == null ? null : nested(value, pathOf(field));
    }

    /** The elements of an array of at most {@code maxSize}, or null when absent. */
    List<JsonNode> optionalArray(String field, int maxSize) throws BridgeException.BadRequest {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw bad(pathOf(field), "must be an array");
        }
        if (value.size() > maxSize) {
            throw bad(pathOf(field), "has more than " + maxSize + " elements");
        }
        List<JsonNode> elements = new ArrayList<>(value.size());
        value.forEach(elements::add);
        return elements;
    }

    /** Like {@link #optionalArray} but absent means empty. */
    List<JsonNode> array(String field, int maxSize) throws BridgeException.BadRequest {
        List<JsonNode> elements = optionalArray(field, maxSize);
        return elements == null ? List.of() : elements;
    }

    /** The fields of an object whose values are all strings (or numbers), e.g. codec parameters. */
    List<String[]> stringMap(String field, int maxEntries, int maxLength) throws BridgeException.BadRequest {
        JsonFields map = optionalObject(field);
        if (map == null) {
            return List.of();
        }
        if (map.node.size() > maxEntries) {
            throw bad(pathOf(field), "has more than " + maxEntries + " entries");
        }
        List<String[]> entries = new ArrayList<>();
        Iterator<String> names = map.node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.isEmpty() || name.length() > maxLength) {
                throw bad(map.pathOf(printable(name)), "has an empty or too long name");
            }
            String value = map.scalarText(name, maxLength);
            if (value == null) {
                throw bad(map.pathOf(printable(name)), "must be a string");
            }
            entries.add(new String[] {name, value});
        }
        return entries;
    }

    static String element(String arrayPath, int index) {
        return arrayPath + "[" + index + "]";
    }

    static BridgeException.BadRequest bad(String path, String problem) {
        return new BridgeException.BadRequest((path.isEmpty() ? "request" : path) + " " + problem);
    }

    private JsonNode value(String field) {
        read.add(field);
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** Field names come from the sender: keep them short and printable before echoing them. */
    private static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
