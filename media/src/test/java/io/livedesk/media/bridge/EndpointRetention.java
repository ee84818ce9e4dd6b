package io.livedesk.media.bridge;

import io.livedesk.media.api.MeetingId;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Weak references to a conference's endpoints and what hangs off each (its receiver, its transport link and the
 * transport under it: {@code EndpointTransport} on ice4j's port, {@code LiteEndpointTransport} on the ICE-lite
 * port), taken while they are live, so a test can tell after expiry and a GC whether anything still retains them.
 * In the bridge's package for its package-private types; public for the robustness tests.
 */
public final class EndpointRetention {
    private final List<WeakReference<Object>> refs = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private int tracked;

    /** Tracks every endpoint live now in {@code meetingId} (none if there is no such conference). */
    public void track(LocalBridge bridge, MeetingId meetingId) {
        Conference conference = bridge.conference(meetingId);
        if (conference == null) {
            return;
        }
        for (Endpoint endpoint : conference.endpoints()) {
            add(endpoint, endpoint.toString());
            add(endpoint.receiver, "receiver of " + endpoint);
            TransportLink link = endpoint.transport();
            if (link != null) {
                add(link, "link of " + endpoint);
                add(link.mediaTransport(), link.mediaTransport().getClass().getSimpleName() + " of " + endpoint);
            }
        }
    }

    private void add(Object o, String name) {
        refs.add(new WeakReference<>(o));
        names.add(name);
        tracked++;
    }

    /** How many objects were tracked, collected ones included. */
    public int tracked() {
        return tracked;
    }

    /** The tracked objects not collected yet. */
    public List<String> live() {
        List<String> live = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (refs.get(i).get() != null) {
                live.add(names.get(i));
            }
        }
        return live;
    }

    /** The live ones counted by kind, with a few named, for a failure message. */
    public String liveSummary() {
        List<String> live = live();
        return live.stream().collect(Collectors.groupingBy(
                n -> n.startsWith("endpoint ") ? "Endpoint" : n.replaceAll(" of .*", ""), Collectors.counting()))
                + " of " + tracked + " tracked, e.g. " + live.stream().limit(3).toList();
    }

    /** Drops the references already cleared (keeps the list short over many cycles). */
    public void forgetCollected() {
        List<WeakReference<Object>> keptRefs = new ArrayList<>();
        List<String> keptNames = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (refs.get(i).get() != null) {
                keptRefs.add(refs.get(i));
                keptNames.add(names.get(i));
            }
        }
        refs.clear();
        refs.addAll(keptRefs);
        names.clear();
        names.addAll(keptNames);
    }
}
