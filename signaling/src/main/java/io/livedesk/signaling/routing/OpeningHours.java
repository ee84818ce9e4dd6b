package io.livedesk.signaling.routing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a queue takes calls, in the bank's time zone: weekly windows written as in a bank's notice, e.g.
 * {@code "mon-fri 08:00-20:00, sat 09:00-13:00"} (a window may end at 24:00; a day may have several). The
 * empty text means always open. Days and times are the bank's wall clock, so daylight saving moves nothing.
 */
public final class OpeningHours {
    private static final Pattern RULE = Pattern.compile("([a-z]{3})(?:-([a-z]{3}))?\\s+(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2})");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    /** One window on one day; {@code endMinute} up to 1440 (24:00). */
    private record Window(DayOfWeek day, int startMinute, int endMinute) {
    }

    public static final OpeningHours ALWAYS = new OpeningHours("", List.of());

    private final String text;
    private final List<Window> windows;

    private OpeningHours(String text, List<Window> windows) {
        this.text = text;
        this.windows = List.copyOf(windows);
    }

    /** @throws IllegalArgumentException naming the part that is not understood */
    public static OpeningHours parse(String text) {
        String spec = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (spec.isEmpty()) {
            return ALWAYS;
        }
        List<Window> windows = new ArrayList<>();
        for (String part : spec.split(",")) {
            Matcher m = RULE.matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("\"" + part.trim() + "\" is not like \"mon-fri 08:00-20:00\"");
            }
            int first = day(m.group(1));
            int last = m.group(2) == null ? first : day(m.group(2));
            int start = minute(m.group(3), m.group(4));
            int end = minute(m.group(5), m.group(6));
            if (end <= start) {
                throw new IllegalArgumentException("\"" + part.trim() + "\": the window must end after it starts");
            }
            for (int d = first; ; d = (d + 1) % 7) { // "fri-mon" wraps over the weekend
                windows.add(new Window(DayOfWeek.of(d + 1), start, end));
                if (d == last) {
                    break;
                }
            }
        }
        return new OpeningHours(text.trim(), windows);
    }

    private static int day(String name) {
        int i = DAYS.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("\"" + name + "\" is not a day (mon, tue, wed, thu, fri, sat, sun)");
        }
        return i;
    }

    private static int minute(String hours, String minutes) {
        int h = Integer.parseInt(hours);
        int m = Integer.parseInt(minutes);
        if (h > 24 || m > 59 || (h == 24 && m != 0)) {
            throw new IllegalArgumentException(hours + ":" + minutes + " is not a time of day");
        }
        return h * 60 + m;
    }

    public boolean alwaysOpen() {
        return windows.isEmpty();
    }

    public boolean isOpen(Instant at, ZoneId zone) {
        if (windows.isEmpty()) {
            return true;
        }
        ZonedDateTime local = at.atZone(zone);
        int minute = local.getHour() * 60 + local.getMinute();
        DayOfWeek day = local.getDayOfWeek();
        return windows.stream().anyMatch(w -> w.day == day && minute >= w.startMinute && minute < w.endMinute);
    }

    /**
     * When it next opens after {@code at} (the start of the next window), or empty when it is open now or has
     * no windows at all.
     */
    public Optional<Instant> nextOpening(Instant at, ZoneId zone) {
        if (windows.isEmpty() || isOpen(at, zone)) {
            return Optional.empty();
        }
        LocalDate today = at.atZone(zone).toLocalDate();
        Instant best = null;
        for (int ahead = 0; ahead <= 7; ahead++) {
            LocalDate date = today.plusDays(ahead);
            for (Window w : windows) {
                if (w.day != date.getDayOfWeek()) {
                    continue;
                }
                Instant start = date.atTime(LocalTime.MIN.plusMinutes(w.startMinute)).atZone(zone).toInstant();
                if (start.isAfter(at) && (best == null || start.isBefore(best))) {
                    best = start;
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "always open" : text;
    }
}
