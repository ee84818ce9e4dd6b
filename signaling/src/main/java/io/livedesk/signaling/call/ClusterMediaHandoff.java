package io.livedesk.signaling.call;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.cluster.ClusterBus;
import io.livedesk.signaling.cluster.NodeTasks;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * {@link MediaHandoff} over the cluster bus: a task travels as JSON to the owning node under
 * {@link #SUBJECT} (see {@link NodeTasks}) and runs there on a worker thread.
 */
public final class ClusterMediaHandoff implements MediaHandoff {
    public static final String SUBJECT = "#media";

    private final NodeTasks<MediaTask> tasks;

    public ClusterMediaHandoff(ClusterBus bus, ObjectMapper json) {
        this.tasks = new NodeTasks<>(bus, json, SUBJECT, MediaTask.class);
    }

    @Override
    public void forward(String nodeId, MediaTask task) {
        tasks.forward(nodeId, task);
    }

    /** What this node does with tasks handed to it: reads them and runs them on the workers. */
    public Consumer<String> receiver(CallService calls, Executor workers) {
        return tasks.receiver(calls::handle, workers, task -> "call " + task.callId() + ": media task " + task.kind());
    }
}
