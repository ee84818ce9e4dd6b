package io.livedesk.signaling.media;

import io.livedesk.media.api.BridgeStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Orders the pool's members for a new conference, best first, after Jicofo's {@code BridgeSelector}: only
 * members that are up, not draining, and whose last stats say healthy and not shutting down (a draining
 * bridge is never given a new conference, even when it is the only one left: the operator asked for it to
 * empty; the conferences it has keep going there, as the pool routes them by owner); those whose last check
 * or request failed (not yet down) last; then by stress, where stress is the bridge's reported {@code stress_level} plus the endpoints placed
 * there since it was measured, each counted at the bridge's own stress per endpoint; then by endpoints and
 * conferences (reported plus placed since), which decides between idle bridges (stress 0 until media
 * flows); then by configuration order.
 *
 * <p>Regions, after Jicofo's {@code RegionBasedBridgeSelectionStrategy}: given the region a conference is wanted in
 * (its participant's), the members of that region come first, ranked as above among themselves, then the others
 * (ranked the same way), so that a conference goes to another region only when no member of its own takes it (none
 * there, all down, draining or unhealthy, or each failing the create). Without a wanted region, or when no member
 * names one, the order is as without regions.
 */
final class BridgeSelector {

    /** One candidate with the numbers it is ranked by. */
    record Candidate(PoolMember member, boolean suspect, double stress, int endpoints, int conferences) {
    }

    private static final Comparator<Candidate> ORDER = Comparator
            .comparing(Candidate::suspect)
            .thenComparingDouble(Candidate::stress)
            .thenComparingInt(Candidate::endpoints)
            .thenComparingInt(Candidate::conferences)
            .thenComparingInt(c -> c.member().index());

    /** The members that may take a new conference, best first; empty if none may. */
    List<PoolMember> rank(List<PoolMember> members) {
        return rank(members, null);
    }

    /**
     * The members that may take a new conference wanted in {@code region}, best first: those of the region, then the
     * others; empty if none may.
     *
     * @param region null for any region
     */
    List<PoolMember> rank(List<PoolMember> members, String region) {
        List<Candidate> candidates = new ArrayList<>();
        for (PoolMember m : members) {
            candidate(m).ifPresent(candidates::add);
        }
        Comparator<Candidate> order = region == null ? ORDER
                : Comparator.comparing((Candidate c) -> !region.equals(c.member().region())).thenComparing(ORDER);
        candidates.sort(order);
        return candidates.stream().map(Candidate::member).toList();
    }

    /** Whether a member of {@code region} may take a new conference now. */
    boolean takesIn(List<PoolMember> members, String region) {
        for (PoolMember m : members) {
            if (region.equals(m.region()) && candidate(m).isPresent()) {
                return true;
            }
        }
        return false;
    }

    static Optional<Candidate> candidate(PoolMember m) {
        if (!m.isUp() || m.draining()) {
            return Optional.empty();
        }
        BridgeStats s = m.stats();
        PoolMember.Pending pending = m.pending();
        boolean suspect = m.failures() > 0;
        if (s == null) {
            // Not checked yet: assume idle, so that a pool takes calls from its first second.
            return Optional.of(new Candidate(m, suspect, 0, pending.endpoints(), pending.conferences()));
        }
        if (!s.healthy() || s.shuttingDown()) {
            return Optional.empty();
        }
        double stress = Math.max(0, s.stressLevel());
        double perEndpoint = s.endpoints() > 0 ? stress / s.endpoints() : 0;
        return Optional.of(new Candidate(m, suspect, stress + pending.endpoints() * perEndpoint,
                s.endpoints() + pending.endpoints(), s.conferences() + pending.conferences()));
    }
}
