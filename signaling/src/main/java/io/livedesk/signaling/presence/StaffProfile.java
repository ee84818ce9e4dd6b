package io.livedesk.signaling.presence;

import io.livedesk.signaling.auth.Subject;

import java.util.Set;

/** Who a staff member is, as their token says: identity, skills, languages and how many calls they take at once. */
public record StaffProfile(Subject id, String name, Set<String> skills, Set<String> languages, int capacity) {
    public StaffProfile {
        skills = Set.copyOf(skills);
        languages = Set.copyOf(languages);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
    }

    /** Whether this member's skills and languages cover the queue of {@code topic} in {@code language}. */
    public boolean serves(String topic, String language) {
        return skills.contains(topic) && languages.contains(language);
    }
}
