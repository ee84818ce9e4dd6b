package io.livedesk.bench.sockets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who sends to whom, whatever server forwards it: conferences of members, each member sending one video
 * stream or none and receiving every other member's stream.
 *
 * @param name        {@code live}, {@code calls}, {@code three} or {@code relay}
 * @param conferences one per meeting (LiveDesk conference, Janus videoroom)
 */
record Scenario(String name, List<Conference> conferences, boolean simulcast) {
    static final long LIVE_SSRC = 0x11110000L;
    static final long CALLS_SSRC_BASE = 0x20000000L;
    static final long THREE_SSRC_BASE = 0x30000000L;

    Scenario {
        conferences = List.copyOf(conferences);
    }

    Scenario(String name, List<Conference> conferences) {
        this(name, conferences, false);
    }

    /**
     * @param ssrc           the SSRC it sends on (a simulcast sender: its first layer's); null for a receive-only
     *                       member (a livestream viewer)
     * @param maxVideoHeight the height it shows video at (0: not said), capping the simulcast layer it gets
     */
    record Member(String name, Long ssrc, int maxVideoHeight) {
        Member(String name, Long ssrc) {
            this(name, ssrc, 0);
        }

        boolean sends() {
            return ssrc != null;
        }
    }

    /** @param id unique in the scenario */
    record Conference(String id, List<Member> members) {
        Conference {
            members = List.copyOf(members);
        }

        List<Member> senders() {
            return members.stream().filter(Member::sends).toList();
        }

        /** Who receives {@code sender}'s stream: everyone else. */
        List<Member> receiversOf(Member sender) {
            return members.stream().filter(m -> m != sender).toList();
        }

        /** The streams {@code member} receives: every other member's that sends. */
        List<Member> sendersTo(Member member) {
            return members.stream().filter(m -> m != member && m.sends()).toList();
        }
    }

    /** One sender and {@code viewers} receive-only members. */
    static Scenario live(int viewers) {
        List<Member> members = new ArrayList<>();
        members.add(new Member("host", LIVE_SSRC));
        for (int i = 0; i < viewers; i++) {
            members.add(new Member("v" + i, null));
        }
        return new Scenario("live", List.of(new Conference("live", members)));
    }

    /**
     * One sender simulcasting three layers ({@link SimulcastLayers}) and {@code viewers} receive-only members, every
     * second one showing video {@link SimulcastLayers#CAPPED_HEIGHT} high, so that both a high and a low layer are
     * rewritten for receivers.
     */
    static Scenario liveSimulcast(int viewers) {
        List<Member> members = new ArrayList<>();
        members.add(new Member("host", SimulcastLayers.LAYERS.get(0).ssrc()));
        for (int i = 0; i < viewers; i++) {
            members.add(new Member("v" + i, null, i % 2 == 1 ? SimulcastLayers.CAPPED_HEIGHT : 0));
        }
        return new Scenario("live", List.of(new Conference("live", members)), true);
    }

    /**
     * Two bridges joined by a relay ({@link RelayTarget}): the first conference, on bridge A, is one sender and
     * {@code viewers} viewers; the second, on bridge B, {@code viewers} viewers that receive the sender's stream over
     * the relay. The same number on each side, in the same run, so that the relay's cost and added latency are a
     * comparison.
     */
    static Scenario relay(int viewers) {
        Scenario onA = live(viewers);
        List<Member> far = new ArrayList<>();
        for (int i = 0; i < viewers; i++) {
            far.add(new Member("b" + i, null));
        }
        return new Scenario("relay", List.of(new Conference("relay-a", onA.conferences().get(0).members()),
                new Conference("relay-b", far)));
    }

    /** {@code pairs} conferences of two, each sending to the other (fan-out 1). */
    static Scenario calls(int pairs) {
        List<Conference> conferences = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            long a = CALLS_SSRC_BASE + 2L * p;
            conferences.add(new Conference("call-" + p, List.of(new Member("a", a), new Member("b", a + 1))));
        }
        return new Scenario("calls", conferences);
    }

    /** {@code groups} conferences of three, each sending one stream and receiving the other two (fan-out 2). */
    static Scenario three(int groups) {
        List<Conference> conferences = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            long base = THREE_SSRC_BASE + 3L * g;
            conferences.add(new Conference("three-" + g,
                    List.of(new Member("a", base), new Member("b", base + 1), new Member("c", base + 2))));
        }
        return new Scenario("three", conferences);
    }

    static Scenario of(String name, int viewers, int pairs, int groups) {
        return of(name, viewers, pairs, groups, false);
    }

    static Scenario of(String name, int viewers, int pairs, int groups, boolean simulcast) {
        if (simulcast && !name.equals("live")) {
            throw new IllegalArgumentException("--simulcast is for the live scenario");
        }
        return switch (name) {
            case "live" -> simulcast ? liveSimulcast(viewers) : live(viewers);
            case "calls" -> calls(pairs);
            case "three" -> three(groups);
            case "relay" -> relay(viewers);
            default -> throw new IllegalArgumentException("scenario must be live, calls, three or relay: " + name);
        };
    }

    int senders() {
        return conferences.stream().mapToInt(c -> c.senders().size()).sum();
    }

    /** Copies the servers deliver to receivers for one packet from every sender (a relay's copy not counted). */
    int copiesPerRound() {
        if (name.equals("relay")) {
            return conferences.stream().mapToInt(c -> (int) c.members().stream().filter(m -> !m.sends()).count()).sum();
        }
        return conferences.stream()
                .mapToInt(c -> c.senders().stream().mapToInt(s -> c.receiversOf(s).size()).sum()).sum();
    }

    /** For the report, e.g. "1 sender, 50 viewers". */
    String describe() {
        return switch (name) {
            case "live" -> String.format(Locale.ROOT, "1 sender%s, %d viewers", simulcast ? " (simulcast f/h/q)" : "",
                    conferences.get(0).members().size() - 1);
            case "calls" -> conferences.size() + " pairs";
            case "relay" -> String.format(Locale.ROOT, "1 sender on bridge A, %d viewers on A and %d on B over a relay",
                    conferences.get(0).members().size() - 1, conferences.get(1).members().size());
            default -> conferences.size() + " groups of three";
        };
    }
}
