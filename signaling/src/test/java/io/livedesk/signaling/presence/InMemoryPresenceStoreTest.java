package io.livedesk.signaling.presence;

class InMemoryPresenceStoreTest extends PresenceStoreContract {
    @Override
    protected PresenceStore createStore() {
        return new InMemoryPresenceStore();
    }
}
