package io.livedesk.media.sdp;

import io.livedesk.media.api.SetupRole;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses SDP text from a client into a {@link SessionDescription}.
 *
 * <p>Strict where a mistake would surface later as a failed call (structure, ports, payload
 * types, ICE credentials, fingerprints, mids and BUNDLE); tolerant of attributes it does not
 * know, which are kept. Accepts CRLF and bare LF line ends. Work is bounded: input longer than
 * {@code maxChars} or with more than {@code maxLines} lines is refused before anything else, and
 * every line is looked at once. Every problem is a {@link SdpParseException} naming the line.
 *
 * <p>Stateless and thread-safe; each call keeps its state on the stack.
 */
public final class SdpParser {
    /** Generous for a browser: a Chromium offer with audio, video and data is about 6 KB. */
    public static final int DEFAULT_MAX_CHARS = 256 * 1024;
    public static final int DEFAULT_MAX_LINES = 4096;

    private final int maxChars;
    private final int maxLines;

    public SdpParser(int maxChars, int maxLines) {
        if (maxChars < 1 || maxLines < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxChars = maxChars;
        this.maxLines = maxLines;
    }

    public SdpParser() {
        this(DEFAULT_MAX_CHARS, DEFAULT_MAX_LINES);
    }

    public SessionDescription parse(String sdp) throws SdpParseException {
        if (sdp == null || sdp.isEmpty()) {
            throw new SdpParseException("SDP is empty");
        }
        if (sdp.length() > maxChars) {
            throw new SdpParseException("SDP is " + sdp.length() + " characters, more than the limit of " + maxChars);
        }
        return new Run(splitLines(sdp)).parse();
    }

    private record Line(int number, String text) {
        char type() {
            return text.charAt(0);
        }

        String value() {
            return text.substring(2);
        }
    }

    /** An attribute line split at its first ':'; value null for a flag attribute. */
    private record NamedValue(String name, String value) {
    }

    /** Splits on LF, drops one CR before it, skips blank lines; refuses to go past maxLines. */
    private List<Line> splitLines(String sdp) throws SdpParseException {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int number = 0;
        while (start < sdp.length()) {
            int end = sdp.indexOf('\n', start);
            if (end < 0) {
                end = sdp.length();
            }
            number++;
            if (number > maxLines) {
                throw new SdpParseException("SDP has more than the limit of " + maxLines + " lines");
            }
            String text = sdp.substring(start, end > start && sdp.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            if (text.isEmpty()) {
                continue;
            }
            checkLineShape(number, text);
            lines.add(new Line(number, text));
        }
        return lines;
    }

    private static void checkLineShape(int number, String text) throws SdpParseException {
        if (text.length() < 2 || text.charAt(1) != '=' || text.charAt(0) < 'a' || text.charAt(0) > 'z') {
            throw new SdpParseException(number, text, "not a '<letter>=<value>' line");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == 0) {
                throw new SdpParseException(number, text, "stray CR or NUL inside the line");
            }
        }
    }

    /** The state of one parse. */
    private static final class Run {
        private final List<Line> lines;
        private Origin origin;
        private String sessionName;
        private String timing;
        private String connection;
        private final List<SdpLine> extraLines = new ArrayList<>();
        private final List<Group> groups = new ArrayList<>();
        private boolean extmapAllowMixed;
        private final List<Attribute> otherAttributes = new ArrayList<>();
        private String iceUfrag;
        private String icePwd;
        private List<String> iceOptions;
        private Fingerprint fingerprint;
        private SetupRole setup;
        private final List<MediaSectionParser> sections = new ArrayList<>();
        private final List<Line> bundleLines = new ArrayList<>();

        Run(List<Line> lines) {
            this.lines = lines;
        }

        SessionDescription parse() throws SdpParseException {
            if (lines.isEmpty() || !lines.get(0).text().equals("v=0")) {
                Line first = lines.isEmpty() ? null : lines.get(0);
                throw first == null ? new SdpParseException("SDP has no lines")
                        : new SdpParseException(first.number(), first.text(), "SDP must start with v=0");
            }
            requireType(1, 'o');
            requireType(2, 's');
            for (Line line : lines.subList(1, lines.size())) {
                try {
                    if (line.type() == 'm') {
                        sections.add(new MediaSectionParser(line.value(), line.number(), line.text()));
                    } else if (sections.isEmpty()) {
                        sessionLine(line);
                    } else if (line.type() == 'a') {
                        attribute(line, sections.get(sections.size() - 1));
                    } else {
                        sections.get(sections.size() - 1).line(line.type(), line.value());
                    }
                } catch (IllegalArgumentException e) {
                    throw new SdpParseException(line.number(), line.text(), e.getMessage());
                }
            }
            if (timing == null) {
                throw new SdpParseException("SDP has no t= line before the first m= line");
            }
            return assemble();
        }

        private void requireType(int index, char type) throws SdpParseException {
            if (lines.size() <= index) {
                throw new SdpParseException("SDP ends before its " + type + "= line");
            }
            Line line = lines.get(index);
            if (line.type() != type) {
                throw new SdpParseException(line.number(), line.text(), "expected the " + type + "= line here (order is v=, o=, s=)");
            }
        }

        private void sessionLine(Line line) {
            String value = line.value();
            switch (line.type()) {
                case 'o' -> {
                    if (origin != null) {
                        throw new IllegalArgumentException("second o= line");
                    }
                    origin = AttributeValues.origin(value);
                }
                case 's' -> {
                    if (sessionName != null) {
                        throw new IllegalArgumentException("second s= line");
                    }
                    sessionName = value.isEmpty() ? "-" : value;
                }
                case 't' -> {
                    if (timing != null) {
                        throw new IllegalArgumentException("only one t= line is supported");
                    }
                    if (AttributeValues.fields(value).size() != 2) {
                        throw new IllegalArgumentException("t= needs '<start> <stop>'");
                    }
                    timing = value;
                }
                case 'c' -> {
                    if (connection != null) {
                        throw new IllegalArgumentException("second session-level c= line");
                    }
                    if (AttributeValues.fields(value).size() != 3) {
                        throw new IllegalArgumentException("c= needs '<nettype> <addrtype> <address>'");
                    }
                    connection = value;
                }
                case 'i', 'u', 'e', 'p', 'b', 'r', 'z', 'k' -> extraLines.add(new SdpLine(line.type(), value));
                case 'a' -> sessionAttribute(line);
                default -> throw new IllegalArgumentException("unknown line type '" + line.type() + "='");
            }
        }

        private void sessionAttribute(Line line) {
            NamedValue attribute = nameAndValue(line);
            String name = attribute.name();
            String value = attribute.value();
            switch (name) {
                case "group" -> {
                    Group group = AttributeValues.group(required(name, value));
                    groups.add(group);
                    if (group.semantics().equals(Group.BUNDLE)) {
                        bundleLines.add(line);
                    }
                }
                case "extmap-allow-mixed" -> extmapAllowMixed = true;
                case "ice-ufrag" -> iceUfrag = once(name, iceUfrag, required(name, value));
                case "ice-pwd" -> icePwd = once(name, icePwd, required(name, value));
                case "ice-options" -> iceOptions = once(name, iceOptions, AttributeValues.iceOptions(required(name, value)));
                case "fingerprint" -> fingerprint = once(name, fingerprint, AttributeValues.fingerprint(required(name, value)));
                case "setup" -> setup = once(name, setup, AttributeValues.setup(required(name, value)));
                default -> otherAttributes.add(new Attribute(name, value));
            }
        }

        private static void attribute(Line line, MediaSectionParser section) {
            NamedValue attribute = nameAndValue(line);
            section.attribute(attribute.name(), attribute.value());
        }

        /** {@code a=<name>[:<value>]}; the value is kept exactly, including leading spaces. */
        private static NamedValue nameAndValue(Line line) {
            String rest = line.value();
            int colon = rest.indexOf(':');
            String name = colon < 0 ? rest : rest.substring(0, colon);
            SdpSyntax.token("attribute name", name);
            return new NamedValue(name, colon < 0 ? null : rest.substring(colon + 1));
        }

        private SessionDescription assemble() throws SdpParseException {
            MediaSectionParser.SessionDefaults defaults =
                    new MediaSectionParser.SessionDefaults(iceUfrag, icePwd, iceOptions, fingerprint, setup);
            List<MediaSection> media = new ArrayList<>();
            Map<String, Integer> midLines = new HashMap<>();
            List<MediaSectionParser> withoutMid = new ArrayList<>();
            for (MediaSectionParser section : sections) {
                MediaSection built;
                try {
                    built = section.finish(defaults);
                } catch (IllegalArgumentException e) {
                    throw new SdpParseException(section.lineNumber(), section.line(), "in this m-section: " + e.getMessage());
                }
                if (built.mid() != null && midLines.putIfAbsent(built.mid(), section.lineNumber()) != null) {
                    throw new SdpParseException(section.lineNumber(), section.line(), "mid '" + built.mid()
                            + "' is already used by the m-section on line " + midLines.get(built.mid()));
                }
                if (built.mid() == null) {
                    withoutMid.add(section);
                }
                media.add(built);
            }
            checkBundle(midLines, withoutMid);
            try {
                return new SessionDescription(origin, sessionName, timing, connection, extraLines, groups,
                        extmapAllowMixed, otherAttributes, media);
            } catch (IllegalArgumentException e) {
                throw new SdpParseException(e.getMessage());
            }
        }

        /** BUNDLE mistakes are reported on the a=group line or on the m-line that lacks its mid. */
        private void checkBundle(Map<String, Integer> midLines, List<MediaSectionParser> withoutMid)
                throws SdpParseException {
            for (Line line : bundleLines) {
                Group group = AttributeValues.group(line.text().substring("a=group:".length()));
                Set<String> seen = new HashSet<>();
                for (String mid : group.mids()) {
                    if (!seen.add(mid)) {
                        throw new SdpParseException(line.number(), line.text(), "BUNDLE names mid '" + mid + "' twice");
                    }
                    if (!midLines.containsKey(mid)) {
                        throw new SdpParseException(line.number(), line.text(), "BUNDLE names mid '" + mid + "' but no m-section has a=mid:" + mid);
                    }
                }
            }
            if (!bundleLines.isEmpty() && !withoutMid.isEmpty()) {
                MediaSectionParser section = withoutMid.get(0);
                throw new SdpParseException(section.lineNumber(), section.line(), "m-section has no a=mid but the session uses BUNDLE");
            }
        }

        private static String required(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("a=" + name + " needs a value");
            }
            return value;
        }

        private static <T> T once(String name, T previous, T value) {
            if (previous != null) {
                throw new IllegalArgumentException("a=" + name + " is given twice");
            }
            return value;
        }
    }
}
