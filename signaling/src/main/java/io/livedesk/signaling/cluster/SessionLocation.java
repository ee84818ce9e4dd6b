package io.livedesk.signaling.cluster;

import io.livedesk.signaling.auth.Role;

/** A subject's connection: which node holds it and which connection on that node. */
public record SessionLocation(String subject, Role role, String nodeId, String connectionId) {
}
