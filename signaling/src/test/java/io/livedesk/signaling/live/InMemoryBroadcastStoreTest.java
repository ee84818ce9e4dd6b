package io.livedesk.signaling.live;

class InMemoryBroadcastStoreTest extends BroadcastStoreContract {
    @Override
    protected BroadcastStore createStore() {
        return new InMemoryBroadcastStore();
    }
}
