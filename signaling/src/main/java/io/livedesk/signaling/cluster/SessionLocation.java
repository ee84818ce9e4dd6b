package io.livedesk.signaling.cluster;

import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;

/** A subject's connection: which node holds it and which connection on that node. */
public record SessionLocation(Subject subject, Role role, String nodeId, String connectionId) {
}
