package io.livedesk.signaling.auth;

import java.util.Set;

/**
 * A verified caller, as their token says.
 *
 * @param maxPriority the highest request priority a customer may ask for
 */
public record Principal(Subject subject, Role role, String name, Set<String> skills, Set<String> languages,
                        int capacity, int maxPriority) {
    public Principal {
        skills = Set.copyOf(skills);
        languages = Set.copyOf(languages);
    }
}
