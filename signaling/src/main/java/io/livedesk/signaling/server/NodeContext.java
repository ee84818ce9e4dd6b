package io.livedesk.signaling.server;

import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.session.SessionService;

/** What the Netty handlers of one node need, handed to them by the composition root. */
public record NodeContext(LiveDeskConfig config, MessageCodec codec, WorkerPool workers, LocalConnections connections,
                          ClientMessageHandler messages, SessionService sessions, Metrics metrics,
                          HttpRoutes routes, Admission admission) {
}
