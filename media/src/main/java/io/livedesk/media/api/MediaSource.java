package io.livedesk.media.api;

import java.util.List;

/**
 * One track an endpoint sends (Colibri2 "source"): its SSRCs (the primary first, then e.g. its RTX)
 * and the groups that tie them together ({@code FID} for RTX, {@code SIM} for simulcast layers by SSRC).
 *
 * <p>A video track simulcast by rid (Chromium's {@code sendEncodings}) has SSRCs no one knows before its packets
 * arrive: it lists its layers' {@code rids} (a LiveDesk extension of Colibri2) and one SSRC, the one its receivers
 * are told of and get the chosen layer on. A track simulcast by SSRC lists its layers in a SIM group; its
 * receivers get the chosen layer on the group's first SSRC.
 *
 * @param rids the layers' rids, in the offer's order; empty unless simulcast by rid
 */
public record MediaSource(MediaType type, String id, List<Ssrc> ssrcs, List<SsrcGroup> groups, List<String> rids) {
    public MediaSource {
        ssrcs = List.copyOf(ssrcs);
        groups = List.copyOf(groups);
        rids = rids == null ? List.of() : List.copyOf(rids);
    }

    public MediaSource(MediaType type, String id, List<Ssrc> ssrcs, List<SsrcGroup> groups) {
        this(type, id, ssrcs, groups, List.of());
    }

    public record Ssrc(long ssrc, String name) {
    }

    public record SsrcGroup(String semantics, List<Long> ssrcs) {
        public SsrcGroup {
            ssrcs = List.copyOf(ssrcs);
        }
    }
}
