package io.livedesk.signaling.routing;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpeningHoursTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private final OpeningHours weekdays = OpeningHours.parse("mon-fri 08:00-20:00, sat 09:00-13:00");

    private static Instant at(String local, ZoneId zone) {
        return java.time.LocalDateTime.parse(local).atZone(zone).toInstant();
    }

    @Test
    void opensAndClosesOnTheBanksWallClock() {
        assertTrue(weekdays.isOpen(at("2026-12-04T08:00", SHANGHAI), SHANGHAI), "Friday 08:00: opening minute");
        assertTrue(weekdays.isOpen(at("2026-12-04T19:59", SHANGHAI), SHANGHAI));
        assertFalse(weekdays.isOpen(at("2026-12-04T20:00", SHANGHAI), SHANGHAI), "the end is exclusive");
        assertTrue(weekdays.isOpen(at("2026-12-05T12:30", SHANGHAI), SHANGHAI), "Saturday morning");
        assertFalse(weekdays.isOpen(at("2026-12-06T10:00", SHANGHAI), SHANGHAI), "Sunday");
        assertFalse(weekdays.isOpen(at("2026-12-04T07:00", SHANGHAI), SHANGHAI));
        assertTrue(weekdays.isOpen(Instant.parse("2026-12-04T00:30:00Z"), SHANGHAI), "08:30 in Shanghai");
        assertFalse(weekdays.isOpen(Instant.parse("2026-12-04T00:30:00Z"), LONDON), "00:30 in London");
    }

    @Test
    void theNextOpeningIsTheStartOfTheNextWindowAcrossTheWeekend() {
        assertEquals(Optional.of(at("2026-12-05T09:00", SHANGHAI)),
                weekdays.nextOpening(at("2026-12-04T21:00", SHANGHAI), SHANGHAI), "Friday evening -> Saturday 09:00");
        assertEquals(Optional.of(at("2026-12-07T08:00", SHANGHAI)),
                weekdays.nextOpening(at("2026-12-05T13:00", SHANGHAI), SHANGHAI), "Saturday 13:00 -> Monday 08:00");
        assertEquals(Optional.of(at("2026-12-04T08:00", SHANGHAI)),
                weekdays.nextOpening(at("2026-12-04T06:00", SHANGHAI), SHANGHAI), "early morning -> today");
        assertEquals(Optional.empty(), weekdays.nextOpening(at("2026-12-04T10:00", SHANGHAI), SHANGHAI), "open now");
    }

    @Test
    void daylightSavingMovesNothingOnTheWallClock() {
        OpeningHours nine = OpeningHours.parse("mon-sun 09:00-17:00");
        // London moved to summer time on 29 March 2026: 09:00 is 09:00Z before and 08:00Z after.
        assertTrue(nine.isOpen(Instant.parse("2026-03-27T09:30:00Z"), LONDON), "GMT: 09:30");
        assertFalse(nine.isOpen(Instant.parse("2026-03-30T16:30:00Z"), LONDON), "BST: 17:30");
        assertTrue(nine.isOpen(Instant.parse("2026-03-30T08:30:00Z"), LONDON), "BST: 09:30");
    }

    @Test
    void aWindowMayEndAtMidnightAndDayRangesWrapOverTheWeekend() {
        OpeningHours late = OpeningHours.parse("fri-mon 18:00-24:00");
        assertTrue(late.isOpen(at("2026-12-06T23:59", SHANGHAI), SHANGHAI), "Sunday");
        assertTrue(late.isOpen(at("2026-12-07T18:00", SHANGHAI), SHANGHAI), "Monday");
        assertFalse(late.isOpen(at("2026-12-08T19:00", SHANGHAI), SHANGHAI), "Tuesday");
    }

    @Test
    void emptyIsAlwaysOpenAndNonsenseIsRefusedNamingThePart() {
        assertTrue(OpeningHours.parse("").alwaysOpen());
        assertTrue(OpeningHours.parse(" ").isOpen(Instant.EPOCH, SHANGHAI));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpeningHours.parse("weekdays 9-5"))
                .getMessage().contains("weekdays 9-5"));
        assertThrows(IllegalArgumentException.class, () -> OpeningHours.parse("mon 17:00-09:00"));
        assertThrows(IllegalArgumentException.class, () -> OpeningHours.parse("mon 09:00-25:00"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpeningHours.parse("mun 09:00-17:00"))
                .getMessage().contains("mun"));
    }
}
