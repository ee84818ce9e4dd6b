package io.livedesk.signaling.auth;

import java.util.Set;

/**
 * A verified caller, as their token says.
 *
 * @param maxPriority the highest request priority a customer may ask for
 * @param permissions grants beyond the role (staff and supervisors only)
 */
public record Principal(Subject subject, Role role, String name, Set<String> skills, Set<String> languages,
                        int capacity, int maxPriority, Set<Permission> permissions) {
    public Principal {
        skills = Set.copyOf(skills);
        languages = Set.copyOf(languages);
        permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
    }

    /** A principal with no permissions, as most are. */
    public Principal(Subject subject, Role role, String name, Set<String> skills, Set<String> languages,
                     int capacity, int maxPriority) {
        this(subject, role, name, skills, languages, capacity, maxPriority, Set.of());
    }

    public boolean has(Permission permission) {
        return permissions.contains(permission);
    }
}
