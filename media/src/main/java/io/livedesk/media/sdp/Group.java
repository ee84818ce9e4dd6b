package io.livedesk.media.sdp;

import java.util.List;

/** A session-level {@code a=group:<semantics> <mid>…} (RFC 5888), e.g. {@code BUNDLE 0 1 2}. */
public record Group(String semantics, List<String> mids) {
    public static final String BUNDLE = "BUNDLE";

    public Group {
        SdpSyntax.token("group semantics", semantics);
        mids = List.copyOf(mids);
        mids.forEach(m -> SdpSyntax.token("group mid", m));
    }
}
