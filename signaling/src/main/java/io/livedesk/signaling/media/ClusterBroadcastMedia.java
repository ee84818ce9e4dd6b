package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.cluster.ClusterBus;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.cluster.NodeTasks;
import io.livedesk.signaling.live.Broadcast;
import io.livedesk.signaling.live.BroadcastMedia;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;

/**
 * Livestream media on any node: work for a broadcast whose media node ({@link Broadcast#mediaNode()}) is this
 * one goes straight to the node-local media ({@link BridgeBroadcastMedia}); work for one held elsewhere is
 * handed to that node as a {@link BroadcastMediaTask} over the cluster bus ({@link #ADDRESS}), as calls' media
 * work is ({@code ClusterMediaHandoff}). There it runs on a worker thread; a refused offer reaches the viewer,
 * wherever they are connected, as an {@code error} event with the id of their {@code broadcast.signal}.
 */
public final class ClusterBroadcastMedia implements BroadcastMedia {
    private static final Logger log = LoggerFactory.getLogger(ClusterBroadcastMedia.class);
    public static final String ADDRESS = "#live-media";

    private final BroadcastMedia here;
    private final String nodeId;
    private final NodeTasks<BroadcastMediaTask> tasks;
    private final MessageRouter router;

    private ClusterBroadcastMedia(BroadcastMedia here, String nodeId, NodeTasks<BroadcastMediaTask> tasks,
                                  MessageRouter router) {
        this.here = here;
        this.nodeId = nodeId;
        this.tasks = tasks;
        this.router = router;
    }

    /**
     * The node's livestream media: {@code here} for the broadcasts whose media this node holds, the bus to the
     * others. Registers for the tasks other nodes hand here (so call it before {@link MessageRouter#start}).
     * Without a bridge ({@link BroadcastMedia#NONE}) there is nothing to hand anywhere: every node refuses.
     */
    public static BroadcastMedia on(BroadcastMedia here, String nodeId, ClusterBus bus, ObjectMapper json,
                                    MessageRouter router, Executor workers) {
        if (here == BroadcastMedia.NONE) {
            return here;
        }
        ClusterBroadcastMedia media = new ClusterBroadcastMedia(here, nodeId,
                new NodeTasks<>(bus, json, ADDRESS, BroadcastMediaTask.class), router);
        router.onNodeTasks(ADDRESS, media.tasks.receiver(media::handle, workers, BroadcastMediaTask::toString));
        return media;
    }

    @Override
    public void offer(Broadcast broadcast, Subject from, ClientMessage.Sdp sdp, String requestId) {
        if (mediaHere(broadcast)) {
            here.offer(broadcast, from, sdp, requestId);
        } else {
            tasks.forward(broadcast.mediaNode(), BroadcastMediaTask.offer(broadcast, from, sdp, requestId));
        }
    }

    @Override
    public void left(Broadcast broadcast, Subject subject) {
        if (mediaHere(broadcast)) {
            here.left(broadcast, subject);
        } else {
            tasks.forward(broadcast.mediaNode(), BroadcastMediaTask.left(broadcast, subject));
        }
    }

    @Override
    public void view(Broadcast broadcast, Subject subject, int maxHeight) {
        if (mediaHere(broadcast)) {
            here.view(broadcast, subject, maxHeight);
        } else {
            tasks.forward(broadcast.mediaNode(), BroadcastMediaTask.view(broadcast, subject, maxHeight));
        }
    }

    @Override
    public void ended(Broadcast broadcast) {
        if (mediaHere(broadcast)) {
            here.ended(broadcast);
        } else {
            tasks.forward(broadcast.mediaNode(), BroadcastMediaTask.ended(broadcast));
        }
    }

    /** A broadcast not live yet has no media node: it is refused here (not live) rather than sent nowhere. */
    private boolean mediaHere(Broadcast broadcast) {
        return broadcast.mediaNode() == null || broadcast.mediaNode().equals(nodeId);
    }

    /**
     * Work another node handed here, on a worker thread. A refusal goes to the subject as an {@code error}
     * event with their request's id (they already had its {@code ack}).
     */
    void handle(BroadcastMediaTask task) {
        try {
            switch (task.kind()) {
                case OFFER -> here.offer(task.broadcast(), task.subject(), task.sdp(), task.requestId());
                case LEFT -> here.left(task.broadcast(), task.subject());
                case ENDED -> here.ended(task.broadcast());
                case VIEW -> here.view(task.broadcast(), task.subject(), task.maxHeight());
            }
        } catch (ProtocolException e) {
            if (task.subject() != null) {
                router.send(task.subject(), new ServerMessage.Error(task.requestId(), e.code().wire(), e.getMessage()));
            }
        } catch (RuntimeException e) {
            log.warn("{} failed: {}", task, e.toString());
        }
    }
}
