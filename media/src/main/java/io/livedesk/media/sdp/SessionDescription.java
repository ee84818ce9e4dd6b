package io.livedesk.media.sdp;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A whole SDP offer or answer. Invariants that a browser relies on are checked here so that
 * neither a parsed nor a built description can break them: mids are unique, and every mid a
 * BUNDLE group names belongs to an m-section, and every m-section of a bundled description has a
 * mid (RFC 8843 section 7.2, JSEP section 5.2.1).
 *
 * @param timing the {@code t=} value, {@code 0 0} for WebRTC
 * @param connection session-level {@code c=} value; null when absent
 * @param extmapAllowMixed {@code a=extmap-allow-mixed} (RFC 8285 section 6), sent by Chromium
 */
public record SessionDescription(Origin origin, String sessionName, String timing, String connection,
                                 List<SdpLine> extraLines, List<Group> groups, boolean extmapAllowMixed,
                                 List<Attribute> otherAttributes, List<MediaSection> media) {

    public SessionDescription {
        if (origin == null) {
            throw new IllegalArgumentException("origin is missing");
        }
        SdpSyntax.text("session name", sessionName);
        if (sessionName.isEmpty()) {
            throw new IllegalArgumentException("session name is empty (use '-')");
        }
        SdpSyntax.text("timing", timing);
        if (connection != null) {
            SdpSyntax.text("connection", connection);
        }
        extraLines = List.copyOf(extraLines);
        groups = List.copyOf(groups);
        otherAttributes = List.copyOf(otherAttributes);
        media = List.copyOf(media);
        checkMids(groups, media);
    }

    /** The mids of the first BUNDLE group, empty when the description bundles nothing. */
    public List<String> bundleMids() {
        return groups.stream().filter(g -> g.semantics().equals(Group.BUNDLE)).findFirst()
                .map(Group::mids).orElse(List.of());
    }

    public Optional<MediaSection> section(String mid) {
        return media.stream().filter(m -> mid.equals(m.mid())).findFirst();
    }

    private static void checkMids(List<Group> groups, List<MediaSection> media) {
        Set<String> mids = new HashSet<>();
        for (MediaSection m : media) {
            if (m.mid() != null && !mids.add(m.mid())) {
                throw new IllegalArgumentException("mid '" + m.mid() + "' is used by two m-sections");
            }
        }
        boolean bundled = false;
        for (Group g : groups) {
            if (!g.semantics().equals(Group.BUNDLE)) {
                continue;
            }
            bundled = true;
            Set<String> inGroup = new HashSet<>();
            for (String mid : g.mids()) {
                if (!inGroup.add(mid)) {
                    throw new IllegalArgumentException("BUNDLE group names mid '" + mid + "' twice");
                }
                if (!mids.contains(mid)) {
                    throw new IllegalArgumentException("BUNDLE group names mid '" + mid + "' but no m-section has it");
                }
            }
        }
        if (bundled) {
            for (int i = 0; i < media.size(); i++) {
                if (media.get(i).mid() == null) {
                    throw new IllegalArgumentException("m-section " + (i + 1) + " (" + media.get(i).media()
                            + ") has no a=mid but the description uses BUNDLE");
                }
            }
        }
    }
}
