package io.livedesk.signaling.auth;

import io.livedesk.signaling.config.Regions;

import java.util.Set;

/**
 * A verified caller, as their token says.
 *
 * @param maxPriority the highest request priority a customer may ask for
 * @param permissions grants beyond the role (staff and supervisors only)
 * @param anonymous   the token says its subject is a passing visitor's, not a lasting customer's (claim
 *                    {@code anonymous}): nothing is kept together under it as their history
 * @param region      where the person is, for choosing a media bridge near them: the token's {@code region} claim
 *                    (the bank's backend knows the branch or the staff member's site), else the region of the
 *                    signaling node they signed in on ({@code livedesk.region}); null when neither says
 */
public record Principal(Subject subject, Role role, String name, Set<String> skills, Set<String> languages,
                        int capacity, int maxPriority, Set<Permission> permissions, boolean anonymous,
                        String region) {
    public Principal {
        skills = Set.copyOf(skills);
        languages = Set.copyOf(languages);
        permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
        if (region != null && !Regions.valid(region)) {
            throw new IllegalArgumentException("region must be 1-" + Regions.MAX_LENGTH
                    + " lower-case letters, digits or dashes");
        }
    }

    /** Without a region. */
    public Principal(Subject subject, Role role, String name, Set<String> skills, Set<String> languages,
                     int capacity, int maxPriority, Set<Permission> permissions, boolean anonymous) {
        this(subject, role, name, skills, languages, capacity, maxPriority, permissions, anonymous, null);
    }

    public Principal(Subject subject, Role role, String name, Set<String> skills, Set<String> languages,
                     int capacity, int maxPriority, Set<Permission> permissions) {
        this(subject, role, name, skills, languages, capacity, maxPriority, permissions, false);
    }

    /** A principal with no permissions, as most are. */
    public Principal(Subject subject, Role role, String name, Set<String> skills, Set<String> languages,
                     int capacity, int maxPriority) {
        this(subject, role, name, skills, languages, capacity, maxPriority, Set.of());
    }

    /**
     * Whether the subject stands for one lasting person whose calls may be kept together as their history:
     * not a token marked anonymous, nor a viewer who gave no name.
     */
    public boolean identified() {
        return !anonymous && name != null;
    }

    /** This principal with {@code fallback} as its region unless its token named one; as it is for a null fallback. */
    public Principal inRegionUnlessNamed(String fallback) {
        if (region != null || fallback == null) {
            return this;
        }
        return new Principal(subject, role, name, skills, languages, capacity, maxPriority, permissions, anonymous,
                fallback);
    }

    public boolean has(Permission permission) {
        return permissions.contains(permission);
    }
}
