package io.livedesk.signaling.live;

class InMemoryViewerPresenceStoreTest extends ViewerPresenceStoreContract {
    @Override
    protected ViewerPresenceStore createStore() {
        return new InMemoryViewerPresenceStore();
    }
}
