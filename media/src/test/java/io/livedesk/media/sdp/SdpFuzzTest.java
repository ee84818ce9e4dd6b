package io.livedesk.media.sdp;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutates real Chromium SDP line by line. Whatever comes out, the parser either returns a model
 * (which then survives write and re-parse unchanged) or throws {@link SdpParseException}; any
 * other exception is a bug. Seeded, so a failure reproduces.
 */
class SdpFuzzTest {
    private static final String ALPHABET = "0123456789abczAZ:=/ -*;.\r\n\0\t\u00e9\u4e2d";
    private static final List<String> INSERTS = List.of("a=mid:0", "a=mid:1", "m=audio 0 RTP/AVP 0", "a=group:BUNDLE 0 9",
            "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=", "a=ssrc-group:FID 1", "a=extmap:4 x", "a=rtcp-fb:* ",
            "a=candidate:1 1 udp 1 h 1 typ host raddr", "a=setup:", "a=fingerprint:sha-1 00", "c=IN", "t=0", "b=AS:x",
            "a=msid:a b c", "a=ssrc:1 msid:", "a=ice-options:", "v=0", "a=", "m=");

    private final SdpParser parser = new SdpParser();
    private final SdpWriter writer = new SdpWriter();

    @Test
    void mutatedChromiumOffersNeverThrowAnythingElse() {
        fuzz(ChromiumSdp.OFFER, 1L, 6000);
    }

    @Test
    void mutatedChromiumAnswersNeverThrowAnythingElse() {
        fuzz(ChromiumSdp.ANSWER, 2L, 6000);
    }

    private void fuzz(String seedSdp, long seed, int rounds) {
        Random random = new Random(seed);
        List<String> original = Arrays.asList(seedSdp.split("\r\n"));
        int parsed = 0;
        for (int round = 0; round < rounds; round++) {
            List<String> lines = new ArrayList<>(original);
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                mutate(lines, random);
            }
            String sdp = String.join(random.nextBoolean() ? "\r\n" : "\n", lines);
            try {
                SessionDescription description = parser.parse(sdp);
                parsed++;
                if (!description.equals(parser.parse(writer.write(description)))) {
                    fail("round " + round + ": write and re-parse changed the model of:\n" + sdp);
                }
            } catch (SdpParseException expected) {
                // the one acceptable failure
            } catch (RuntimeException | Error e) {
                fail("round " + round + " threw " + e + " for:\n" + sdp, e);
            }
        }
        // Many mutations leave valid SDP; if none did, the fuzzing would only exercise the first line.
        if (parsed < rounds / 20) {
            fail("only " + parsed + " of " + rounds + " mutations parsed");
        }
    }

    private static void mutate(List<String> lines, Random random) {
        if (lines.isEmpty()) {
            lines.add("v=0");
            return;
        }
        int i = random.nextInt(lines.size());
        String line = lines.get(i);
        switch (random.nextInt(7)) {
            case 0 -> {
                if (!line.isEmpty()) {
                    int at = random.nextInt(line.length());
                    lines.set(i, line.substring(0, at) + ALPHABET.charAt(random.nextInt(ALPHABET.length())) + line.substring(at + 1));
                }
            }
            case 1 -> lines.remove(i);
            case 2 -> lines.add(i, line);
            case 3 -> {
                int j = random.nextInt(lines.size());
                lines.set(i, lines.get(j));
                lines.set(j, line);
            }
            case 4 -> lines.set(i, line.substring(0, random.nextInt(line.length() + 1)));
            case 5 -> lines.add(i, INSERTS.get(random.nextInt(INSERTS.size())));
            default -> lines.set(i, line.replaceFirst("[0-9]+", random.nextBoolean() ? "99999999999999999999" : "-1"));
        }
    }
}
