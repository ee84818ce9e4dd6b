package io.livedesk.media.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Order, duplicates, loss, DTX and restarts, against a playout that writes down what it is asked. */
class PacketSequencerTest {
    private static final int SSRC = 0x1234;
    private static final int FRAME = 960;
    /** 80 ms concealment, 2 s silence cap, 3 packets of reordering: the defaults. */
    private static final int MAX_CONCEAL = 3840;
    private static final int MAX_SILENCE = 96_000;

    private final Script out = new Script();
    private final PacketSequencer sequencer = new PacketSequencer(3, MAX_CONCEAL, MAX_SILENCE);
    private long clock = 1_000_000_000L;

    /** What the sequencer asked for, as short words: "play 7", "conceal 960 next 8", "silence 960", "skip 5", "reset". */
    private static final class Script implements Playout {
        final List<String> calls = new ArrayList<>();
        /** Sequence numbers whose decoding "fails". */
        final List<Integer> failing = new ArrayList<>();

        @Override
        public int play(TapPacket packet) {
            calls.add("play " + packet.sequence());
            if (failing.contains(packet.sequence())) {
                return -1;
            }
            return packet.payload() == null ? 0 : FRAME;
        }

        @Override
        public void conceal(int samples, TapPacket next) {
            calls.add("conceal " + samples + " next " + next.sequence());
        }

        @Override
        public void silence(int samples) {
            calls.add("silence " + samples);
        }

        @Override
        public void skip(long samples) {
            calls.add("skip " + samples);
        }

        @Override
        public void reset() {
            calls.add("reset");
        }
    }

    /** Packet {@code seq} of the regular 20 ms stream (timestamp seq * 960), arriving now. */
    private TapPacket packet(int seq) {
        return packet(SSRC, seq, seq * FRAME);
    }

    private TapPacket packet(int ssrc, int seq, int ts) {
        clock += 20_000_000L;
        return new TapPacket(ssrc, seq & 0xFFFF, ts, clock, new byte[] {1});
    }

    private void push(int... seqs) {
        for (int s : seqs) {
            sequencer.push(packet(s), out);
        }
    }

    @Test
    void inOrderPacketsArePlayedAsTheyCome() {
        push(10, 11, 12);
        assertEquals(List.of("play 10", "play 11", "play 12"), out.calls);
        assertEquals(0, sequencer.lost());
        assertEquals(0, sequencer.held());
    }

    @Test
    void reorderedPacketsArePutBackInOrderWithoutLoss() {
        push(10, 12, 11, 13, 15, 14);
        assertEquals(List.of("play 10", "play 11", "play 12", "play 13", "play 14", "play 15"), out.calls);
        assertEquals(0, sequencer.lost());
        assertEquals(0, sequencer.late());
    }

    @Test
    void duplicatesAndLatePacketsAreDroppedAndCounted() {
        push(10, 11, 11, 12, 10);
        assertEquals(List.of("play 10", "play 11", "play 12"), out.calls);
        push(14, 14); // 14 is held while 13 may come: its duplicate is caught there
        assertEquals(3, sequencer.late());
    }

    @Test
    void aShortLossIsConcealedWithTheNextPacketsFec() {
        push(10, 11, 13, 14, 15, 16);
        // 12 is waited for while three later packets are held, then concealed from 13.
        assertEquals(List.of("play 10", "play 11", "conceal 960 next 13", "play 13", "play 14", "play 15",
                "play 16"), out.calls);
        assertEquals(1, sequencer.lost());
        assertEquals(1, sequencer.concealed());
        push(12); // too late now
        assertEquals(1, sequencer.late());
    }

    @Test
    void aLongLossBecomesSilence() {
        push(10, 21, 22, 23, 24);
        assertEquals(List.of("play 10", "silence " + 10 * FRAME, "play 21", "play 22", "play 23", "play 24"),
                out.calls);
        assertEquals(10, sequencer.lost());
        assertEquals(0, sequencer.concealed());
    }

    @Test
    void dtxGapsBecomeSilenceNotConcealment() {
        sequencer.push(packet(SSRC, 10, 0), out);
        sequencer.push(packet(SSRC, 11, 960), out);
        sequencer.push(packet(SSRC, 12, 960 + 960 + 400 * 48), out); // sender silent for 400 ms
        assertEquals(List.of("play 10", "play 11", "silence " + 400 * 48, "play 12"), out.calls);
        assertEquals(0, sequencer.lost());
    }

    @Test
    void silenceIsCappedAndMediaTimeJumpsOverTheRest() {
        sequencer.push(packet(SSRC, 10, 0), out);
        sequencer.push(packet(SSRC, 11, 960 + 10 * 48_000), out); // 10 s later
        assertEquals(List.of("play 10", "silence " + MAX_SILENCE, "skip " + (10 * 48_000 - MAX_SILENCE), "play 11"),
                out.calls);
    }

    @Test
    void heldPacketsAreBounded() {
        push(10);
        for (int s = 12; s < 1000; s++) {
            push(s);
            assertTrue(sequencer.held() <= 3, "held " + sequencer.held());
        }
    }

    @Test
    void anUndecodablePacketsTimeIsConcealed() {
        out.failing.add(11);
        push(10, 11, 12);
        assertEquals(List.of("play 10", "play 11", "conceal 960 next 12", "play 12"), out.calls);
        assertEquals(0, sequencer.lost());
    }

    @Test
    void packetsWithoutAudioKeepTheirPlaceInTheSequence() {
        sequencer.push(packet(SSRC, 10, 0), out);
        clock += 20_000_000L;
        sequencer.push(new TapPacket(SSRC, 11, 960, clock, null), out); // e.g. a DTMF event packet
        sequencer.push(packet(SSRC, 12, 1920), out);
        assertEquals(List.of("play 10", "play 11", "silence 960", "play 12"), out.calls);
        assertEquals(0, sequencer.lost());
    }

    @Test
    void sequenceNumbersWrap() {
        push(65534, 65535, 65536, 65537);
        assertEquals(List.of("play 65534", "play 65535", "play 0", "play 1"), out.calls);
        assertEquals(0, sequencer.lost());
    }

    @Test
    void aSecondSsrcIsIgnoredWhileTheFirstIsActiveThenTakesOver() {
        push(10, 11);
        sequencer.push(packet(0x9999, 500, 77), out);
        assertEquals(1, sequencer.ignored());
        clock += 3_000_000_000L; // the first stream has been quiet for 3 s
        sequencer.push(packet(0x9999, 501, 77 + 960), out);
        List<String> expected = List.of("play 10", "play 11", "silence " + MAX_SILENCE,
                "skip " + ((3_020_000_000L + 20_000_000L) * 48 / 1_000_000 - FRAME - MAX_SILENCE), "reset", "play 501");
        assertEquals(expected, out.calls);
        sequencer.push(packet(0x9999, 502, 77 + 2 * 960), out);
        assertEquals("play 502", out.calls.get(out.calls.size() - 1));
    }

    @Test
    void aRestartedNumberingIsFollowedOnceConfirmed() {
        push(10, 11);
        // The sender restarts at 30000 with a new timestamp base.
        for (int i = 0; i < PacketSequencer.RESYNC_RUN; i++) {
            sequencer.push(packet(SSRC, 30_000 + i, 5_000_000 + i * FRAME), out);
        }
        // Nothing of the new numbering is lost; the 20 ms between 11 and 30000 arrived is not silence.
        assertEquals(List.of("play 10", "play 11", "reset", "play 30000", "play 30001", "play 30002", "play 30003"),
                out.calls);
        assertEquals(0, sequencer.ignored());
        sequencer.push(packet(SSRC, 30_004, 5_000_000 + 4 * FRAME), out);
        assertEquals("play 30004", out.calls.get(out.calls.size() - 1));
    }

    @Test
    void strayPacketsDoNotDisturbTheStream() {
        push(10, 11);
        sequencer.push(packet(SSRC, 40_000, 1), out);
        sequencer.push(packet(SSRC, 20_000, 1), out);
        push(12, 13);
        assertEquals(List.of("play 10", "play 11", "play 12", "play 13"), out.calls);
        assertEquals(2, sequencer.ignored());
    }
}
