package io.livedesk.media.sdp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The simulcast a browser offers to send on one m-section (RFC 8853): its layers by {@code rid}
 * ({@code a=rid:<id> send} and {@code a=simulcast:send <id>;<id>;…}, Chromium's form with {@code sendEncodings}),
 * or by SSRC ({@code a=ssrc-group:SIM <ssrc> <ssrc> …}, the older munged form). The bridge answers a rid offer
 * with the same layers to receive, so the browser keeps sending all of them.
 *
 * @param rids the layers' rids in the order the offer lists them; empty for the SSRC form
 * @param ssrcs the layers' SSRCs in the SIM group's order; empty for the rid form
 */
public record Simulcast(List<String> rids, List<Long> ssrcs) {
    public static final String SIM = "SIM";
    /** RFC 8852: which rid an RTP packet belongs to, and which rid an RTX packet repairs. */
    public static final String RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    /** More layers than any browser sends: an offer listing more is not taken as simulcast. */
    static final int MAX_LAYERS = 4;
    /** RFC 8851's rid-id, kept short: it is read off every first packet of a layer. */
    private static final java.util.regex.Pattern RID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,16}");

    public Simulcast {
        rids = List.copyOf(rids);
        ssrcs = List.copyOf(ssrcs);
    }

    public boolean byRid() {
        return !rids.isEmpty();
    }

    /**
     * The section's simulcast, if it sends two or more layers: by rid when it has {@code a=simulcast:send} and
     * an {@code a=rid:<id> send} for each listed id (the first alternative of each stream, a paused one included),
     * else by SSRC when it has a SIM group.
     */
    public static Optional<Simulcast> of(MediaSection m) {
        Set<String> sendRids = new LinkedHashSet<>();
        String simulcast = null;
        for (Attribute a : m.otherAttributes()) {
            if ("rid".equals(a.name()) && a.value() != null) {
                String[] parts = a.value().trim().split("\\s+");
                if (parts.length >= 2 && "send".equals(parts[1])) {
                    sendRids.add(parts[0]);
                }
            } else if ("simulcast".equals(a.name()) && a.value() != null) {
                simulcast = a.value().trim();
            }
        }
        List<String> rids = simulcast == null ? List.of() : sendList(simulcast);
        if (rids.size() >= 2 && rids.size() <= MAX_LAYERS && sendRids.containsAll(rids)) {
            return Optional.of(new Simulcast(rids, List.of()));
        }
        for (SourceGroup g : m.sourceGroups()) {
            if (SIM.equalsIgnoreCase(g.semantics()) && g.ssrcs().size() >= 2 && g.ssrcs().size() <= MAX_LAYERS) {
                return Optional.of(new Simulcast(List.of(), g.ssrcs()));
            }
        }
        return Optional.empty();
    }

    /** {@code send a;b,c;~d recv x} → [a, b, d]: the send streams, each by its first alternative. */
    private static List<String> sendList(String value) {
        String[] words = value.split("\\s+");
        for (int i = 0; i + 1 < words.length; i += 2) {
            if ("send".equals(words[i])) {
                List<String> out = new ArrayList<>();
                for (String stream : words[i + 1].split(";")) {
                    String first = stream.split(",")[0];
                    String rid = first.startsWith("~") ? first.substring(1) : first;
                    if (!RID.matcher(rid).matches() || out.contains(rid)) {
                        return List.of();
                    }
                    out.add(rid);
                }
                return out;
            }
        }
        return List.of();
    }

    /** The answer's side of a rid offer: receive every layer ({@code a=rid:<id> recv}, {@code a=simulcast:recv}). */
    void applyAnswer(MediaSection.Builder answer) {
        if (!byRid()) {
            return;
        }
        for (String rid : rids) {
            answer.attribute(new Attribute("rid", rid + " recv"));
        }
        answer.attribute(new Attribute("simulcast", "recv " + String.join(";", rids)));
    }
}
