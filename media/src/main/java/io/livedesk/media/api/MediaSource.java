package io.livedesk.media.api;

import java.util.List;

/**
 * One track an endpoint sends (Colibri2 "source"): its SSRCs (the primary first, then e.g. its RTX)
 * and the groups that tie them together ({@code FID} for RTX).
 */
public record MediaSource(MediaType type, String id, List<Ssrc> ssrcs, List<SsrcGroup> groups) {
    public MediaSource {
        ssrcs = List.copyOf(ssrcs);
        groups = List.copyOf(groups);
    }

    public record Ssrc(long ssrc, String name) {
    }

    public record SsrcGroup(String semantics, List<Long> ssrcs) {
        public SsrcGroup {
            ssrcs = List.copyOf(ssrcs);
        }
    }
}
