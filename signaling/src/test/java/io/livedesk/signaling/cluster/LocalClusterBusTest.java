package io.livedesk.signaling.cluster;

class LocalClusterBusTest extends ClusterBusContract {

    /** In one process every node shares the one bus. */
    private final LocalClusterBus bus = new LocalClusterBus();

    @Override
    protected ClusterBus busFor(String nodeId) {
        return bus;
    }

    @Override
    protected void closeBuses() {
        bus.close();
    }
}
