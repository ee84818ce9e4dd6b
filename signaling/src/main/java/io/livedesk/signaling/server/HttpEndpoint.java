package io.livedesk.signaling.server;

/**
 * One REST route. Runs on the worker pool, so it may wait on a store. Throwing
 * {@link io.livedesk.signaling.protocol.ProtocolException} answers with its code and HTTP status.
 */
@FunctionalInterface
public interface HttpEndpoint {
    HttpReply handle(HttpCall call) throws Exception;
}
