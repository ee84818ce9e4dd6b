package io.livedesk.bench.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The livestream benchmark's measurement logic: frame reading, join-to-first-count, chat and stats books. */
class LiveBookkeepingTest {
    private static final long MS = 1_000_000L;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTypesNumbersAndChatTagsFromServerFrames() {
        byte[] stats = b("{\"type\":\"broadcast.stats\",\"broadcastId\":\"b-1\",\"viewers\":9876,\"likes\":12}");
        assertEquals(Frames.Type.STATS, Frames.type(stats, stats.length));
        assertEquals(9876, Frames.number(stats, stats.length, Frames.VIEWERS));
        assertEquals(12, Frames.number(stats, stats.length, Frames.LIKES));
        // Only the bytes up to len count: a reused scratch buffer has stale bytes beyond.
        assertEquals(Frames.Type.OTHER, Frames.type(stats, 5));

        byte[] batch = b("{\"type\":\"chat.batch\",\"broadcastId\":\"b-1\",\"messages\":["
                + "{\"messageId\":\"m-1\",\"name\":\"V\",\"text\":\"#17 What is the rate?\",\"at\":1},"
                + "{\"messageId\":\"m-2\",\"name\":\"W\",\"text\":\"someone else's #3\",\"at\":2},"
                + "{\"messageId\":\"m-3\",\"name\":\"X\",\"text\":\"#18 Thanks\",\"at\":3}],\"deleted\":[]}");
        assertEquals(Frames.Type.CHAT_BATCH, Frames.type(batch, batch.length));
        List<Integer> seqs = new ArrayList<>();
        assertEquals(2, Frames.chatTags(batch, batch.length, seqs::add));
        assertEquals(List.of(17, 18), seqs);

        byte[] joined = b("{\"type\":\"broadcast.joined\",\"id\":\"j\",\"broadcast\":{\"id\":\"b-1\",\"title\":\"T\"},"
                + "\"viewers\":212,\"likes\":3,\"chat\":[]}");
        assertEquals(Frames.Type.JOINED, Frames.type(joined, joined.length));
        assertEquals(212, Frames.number(joined, joined.length, Frames.VIEWERS));
        byte[] ack = b("{\"type\":\"ack\",\"id\":\"c5\"}");
        assertEquals(Frames.Type.ACK, Frames.type(ack, ack.length));
        byte[] welcome = b("{\"type\":\"welcome\",\"id\":\"h\"}");
        assertEquals(Frames.Type.WELCOME, Frames.type(welcome, welcome.length));
        assertEquals(-1, Frames.number(ack, ack.length, Frames.VIEWERS));

        byte[] edge = b("\"text\":\"#1 and \"text\":\"#");
        assertEquals(0, Frames.indexOf(edge, edge.length, Frames.CHAT_TAG, 0));
        assertEquals(15, Frames.indexOf(edge, edge.length, Frames.CHAT_TAG, 1));
        assertEquals(-1, Frames.indexOf(edge, edge.length - 1, Frames.CHAT_TAG, 1), "never past len");
        List<Integer> none = new ArrayList<>();
        assertEquals(1, Frames.chatTags(edge, edge.length, none::add), "a tag with no digits is not counted");
    }

    @Test
    void firstCountIsTheFirstStatsAtLeastTheJoinedCount() {
        FirstCount f = new FirstCount();
        f.joinSent(100 * MS);
        assertEquals(-1, f.joined(50, 110 * MS));
        assertEquals(-1, f.stats(49, 500 * MS), "a count read before this viewer's join does not include them");
        assertEquals(900 * MS, f.stats(50, 1000 * MS));
        assertTrue(f.done());
        assertEquals(-1, f.stats(60, 2000 * MS), "only the first counts");
    }

    @Test
    void firstCountJudgesStatsThatCameBeforeTheJoinedReply() {
        FirstCount early = new FirstCount();
        early.joinSent(0);
        assertEquals(-1, early.stats(10, 5 * MS));
        assertEquals(5 * MS, early.joined(10, 8 * MS), "a stats frame before the reply, with the joined count, counts");

        FirstCount stale = new FirstCount();
        stale.joinSent(0);
        assertEquals(-1, stale.stats(9, 5 * MS));
        assertEquals(-1, stale.joined(10, 8 * MS));
        assertEquals(20 * MS, stale.stats(11, 20 * MS));

        FirstCount notJoining = new FirstCount();
        assertEquals(-1, notJoining.stats(10, 5 * MS), "nothing before the join is sent");
    }

    @Test
    void chatBookMeasuresSentInTheWindowAndCountsTheFanOut() throws Exception {
        ChatBook book = new ChatBook(10);
        long t = 1_000 * MS;
        book.window(t, t + 1_000 * MS);
        book.sent(0, t - 10 * MS);      // before the window: not measured
        book.sent(1, t + 10 * MS);
        book.sent(2, t + 20 * MS);
        book.sent(3, t + 30 * MS);      // refused by the server: not expected
        book.skipped(4);                // no chatter: never sent
        book.acked(0, t);
        book.acked(1, t + 15 * MS);
        book.acked(2, t + 25 * MS);
        book.refused(3);

        // Two viewers on two threads, as two event loops.
        Thread a = new Thread(() -> {
            book.seen(0, t + 100 * MS, false);
            book.seen(1, t + 260 * MS, true);
            book.seen(2, t + 260 * MS, false);
        });
        Thread c = new Thread(() -> {
            book.seen(1, t + 270 * MS, false);
            book.seen(2, t + 20 * MS, false); // seen before its ack (clock order on another node): ack->seen is 0
            book.seen(9, t, false);           // never sent: unknown
        });
        a.start();
        c.start();
        a.join();
        c.join();

        ChatBook.Result r = book.result(2);
        assertEquals(3, r.sentInWindow());
        assertEquals(2, r.acked());
        assertEquals(1, r.refused());
        assertEquals(1, r.skippedNoChatter());
        assertEquals(4, r.deliveries());
        assertEquals(4, r.expectedDeliveries());
        assertEquals(2, r.messagesSeenByAll());
        assertEquals(2, r.minViewersPerMessage());
        assertEquals(1, r.seenBeforeAck());
        assertEquals(1, r.unknownSightings());
        assertEquals(4, r.sendToSeen().getTotalCount());
        assertEquals(1, r.outsideWindow().getTotalCount());
        assertEquals(0, r.sendToSeen().getMinValue(), "seen at its send time: 0");
        assertEquals(260_000, r.sendToSeen().getMaxValue(), 300);
        assertEquals(255_000, r.ackToSeen().getMaxValue(), 300);
        assertEquals(10 * MS / 1000, book.sendToAck.getIntervalHistogram().getMaxValue(), 10, "message 0: sent 10 ms before its ack");
    }

    @Test
    void chatBookReportsAMessageSomeViewersMissed() {
        ChatBook book = new ChatBook(4);
        book.window(0, Long.MAX_VALUE);
        book.sent(0, 10);
        book.sent(1, 20);
        book.acked(0, 30);
        book.acked(1, 40);
        book.seen(0, 50, false);
        book.seen(0, 60, false);
        book.seen(0, 70, false);
        book.seen(1, 80, false);
        ChatBook.Result r = book.result(3);
        assertEquals(6, r.expectedDeliveries());
        assertEquals(4, r.deliveries());
        assertEquals(1, r.messagesSeenByAll());
        assertEquals(1, r.minViewersPerMessage());
    }

    @Test
    void statsTicksMeasureEachNodesFanOut() {
        StatsTicks ticks = new StatsTicks();
        ticks.seen(0, 100, 1, 0); // closed: ignored
        ticks.open(true);
        ticks.seen(0, 100, 5, 1_000 * MS);
        ticks.seen(0, 100, 5, 1_040 * MS);
        ticks.seen(1, 100, 5, 1_500 * MS);  // the other node sends the same numbers: its own tick
        ticks.seen(1, 100, 6, 2_500 * MS);
        ticks.seen(1, 100, 6, 2_510 * MS);
        ticks.seen(0, 100, 7, 9_000 * MS);  // after the window's end
        StatsTicks.Result r = ticks.result(900 * MS, 3_000 * MS, new int[]{2, 2});
        assertEquals(3, r.ticks());
        assertEquals(2, r.reachedAll());
        assertEquals(0.5, r.minShareReached(), 1e-9);
        assertEquals(40_000, r.spreadUs().getMaxValue(), 50);
    }

    @Test
    void redisInfoReadsCommandstatsAndDeltas() {
        String a = "# Commandstats\r\ncmdstat_evalsha:calls=10,usec=500,usec_per_call=50.00,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_info:calls=3,usec=30,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_config|resetstat:calls=1,usec=42,usec_per_call=42.00,rejected_calls=0,failed_calls=0\r\n";
        String b = "# Commandstats\r\ncmdstat_evalsha:calls=25,usec=900,usec_per_call=36.00,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_info:calls=9,usec=90,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_zcount:calls=40,usec=80,usec_per_call=2.00,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_config|resetstat:calls=1,usec=42,usec_per_call=42.00,rejected_calls=0,failed_calls=0\r\n";
        Map<String, long[]> ca = RedisInfo.commandstats(a);
        assertEquals(10, ca.get("evalsha")[0]);
        assertEquals(500, ca.get("evalsha")[1]);
        RedisInfo.Snapshot sa = new RedisInfo.Snapshot(0, ca, 1.0, 1, 0);
        RedisInfo.Snapshot sb = new RedisInfo.Snapshot(1, RedisInfo.commandstats(b), 2.0, 1, 0);
        Map<String, Long> d = RedisInfo.callDeltas(sa, sb);
        assertEquals(List.of("zcount", "evalsha"), List.copyOf(d.keySet()), "largest first, info left out, unchanged left out");
        assertEquals(40L, d.get("zcount"));
        assertEquals(15L, d.get("evalsha"));
        assertEquals("7.0.15", RedisInfo.fields("# Server\r\nredis_version:7.0.15\r\n").get("redis_version"));
    }

    @Test
    void threadCpuGroupsThreadsByNameAndSubtracts() {
        assertEquals("ld-io", ThreadCpu.group("ld-io-7-3"));
        assertEquals("ld-worker", ThreadCpu.group("ld-worker-12"));
        assertEquals("GC Thread", ThreadCpu.group("GC Thread#3"));
        assertEquals("C2 CompilerThre", ThreadCpu.group("C2 CompilerThre"));
        assertEquals("main", ThreadCpu.group("main"));
        // pid (comm) state ppid ... utime(14th field) stime(15th); a name may hold spaces and parentheses
        String stat = "4242 (ld-io-7-1) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 40 0 100 0 0";
        Object[] p = ThreadCpu.parse(stat);
        assertEquals("ld-io", p[0]);
        assertEquals(300L, p[1]);
        assertEquals(50L, p[2]);
        Object[] q = ThreadCpu.parse("4243 (GC Thread#0) R 1 2 3 4 5 6 7 8 9 10 20 0 0 0 20 0 40 0 100 0 0");
        Map<String, Object[]> before = Map.of("4242", p);
        Map<String, Object[]> after = Map.of("4242", new Object[]{"ld-io", 500L, 150L}, "4243", q);
        Map<String, double[]> cores = ThreadCpu.cores(before, after, 2.0);
        assertEquals(List.of("ld-io", "GC Thread"), List.copyOf(cores.keySet()), "largest first");
        assertEquals(1.0, cores.get("ld-io")[0], 1e-9, "200 ticks over 2 s: one core");
        assertEquals(0.5, cores.get("ld-io")[1], 1e-9);
        assertEquals(0.1, cores.get("GC Thread")[0], 1e-9, "a thread that started in the window counts from 0");
    }
}
