package io.livedesk.signaling.cluster;

class InMemoryNodeRegistryTest extends NodeRegistryContract {
    @Override
    protected NodeRegistry createRegistry() {
        return new InMemoryNodeRegistry();
    }
}
