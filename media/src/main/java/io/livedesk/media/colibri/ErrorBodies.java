package io.livedesk.media.colibri;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reason a bridge gave for an error answer, for exceptions and logs. LiveDesk's bridge explains in
 * {@code {"error":"…"}}; Jitsi Videobridge answers with its web server's HTML error page (Jetty's: the reason in
 * the title, a heading and a {@code MESSAGE:} row), or nothing. The reason is kept, as one short printable line.
 */
final class ErrorBodies {
    /** Longer reasons are cut: a log line, not a page. */
    static final int MAX_REASON = 300;
    /** Bigger bodies are not read for a reason (a page of a proxy, not a bridge's explanation). */
    static final int MAX_BODY = 64 * 1024;

    private static final Pattern MESSAGE_ROW = Pattern.compile(
            "<th>\\s*MESSAGE:\\s*</th>\\s*<td>(.*?)</td>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern TITLE = Pattern.compile("<title>(.*?)</title>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern SCRIPT_OR_STYLE = Pattern.compile("<(script|style)[^>]*>.*?</\\1>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private ErrorBodies() {
    }

    /**
     * @param json the reason in a JSON body ({@code {"error":…}}), or null when it has none
     * @return the reason, or null when the body gives none
     */
    static String reason(byte[] body, String json) {
        if (json != null) {
            return line(json);
        }
        if (body == null || body.length == 0 || body.length > MAX_BODY) {
            return null;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (!text.stripLeading().startsWith("<")) {
            return line(text);
        }
        Matcher row = MESSAGE_ROW.matcher(text);
        if (row.find()) {
            return line(plain(row.group(1)));
        }
        Matcher title = TITLE.matcher(text);
        if (title.find()) {
            return line(plain(title.group(1)));
        }
        return line(plain(SCRIPT_OR_STYLE.matcher(text).replaceAll(" ")));
    }

    private static String plain(String html) {
        return TAG.matcher(html).replaceAll(" ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&apos;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
    }

    private static String line(String text) {
        String one = text.replaceAll("[^\\x20-\\x7e]", " ").replaceAll(" {2,}", " ").strip();
        if (one.isEmpty()) {
            return null;
        }
        return one.length() <= MAX_REASON ? one : one.substring(0, MAX_REASON - 1) + "…";
    }
}
