package io.livedesk.signaling.auth;

import java.util.Set;

/**
 * A verified caller, as their token says.
 *
 * @param maxPriority the highest request priority a customer may ask for
 * @param permissions grants beyond the role (staff and supervisors only)
 * @param anonymous   the token says its subject is a passing visitor's, not a lasting customer's (claim
 *                    {@code anonymous}): nothing is kept together under it as their history
 */
public record Principal(Subject subject, Role role, String name, Set<String> skills, Set<String> languages,
                        int capacity, int maxPriority, Set<Permission> permissions, boolean anonymous) {
    public Principal {
        skills = Set.copyOf(skills);
        languages = Set.copyOf(languages);
        permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
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

    public boolean has(Permission permission) {
        return permissions.contains(permission);
    }
}
