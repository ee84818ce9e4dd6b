package io.livedesk.signaling.transcript;

import java.util.List;

/**
 * The plain-text export of a transcript: one line per utterance,
 * {@code [HH:MM:SS] Customer: text}, the time counted from when the call was answered (from the first
 * line when it never was), so the file reads like the call did. Labels are Customer, Staff, Supervisor.
 */
public final class TranscriptText {
    private TranscriptText() {
    }

    /**
     * @param answeredAtMs when the call was answered, epoch ms, or 0
     */
    public static String render(List<TranscriptLine> lines, long answeredAtMs) {
        long origin = answeredAtMs > 0 ? answeredAtMs : lines.isEmpty() ? 0 : lines.get(0).startedAtMs();
        StringBuilder out = new StringBuilder();
        for (TranscriptLine l : lines) {
            out.append('[').append(clock(l.startedAtMs() - origin)).append("] ")
                    .append(Speaker.fromWire(l.speaker()).label()).append(": ")
                    .append(oneLine(l.text())).append('\n');
        }
        return out.toString();
    }

    /** HH:MM:SS of a non-negative offset (a line begun a little before the answer shows 00:00:00). */
    static String clock(long offsetMs) {
        long s = Math.max(0, offsetMs) / 1000;
        return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    /** A line break inside an utterance would start a line that is not an utterance. */
    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\u2028\\u2029]+", " ");
    }
}
