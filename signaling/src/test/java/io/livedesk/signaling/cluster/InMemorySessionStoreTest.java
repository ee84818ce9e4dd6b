package io.livedesk.signaling.cluster;

class InMemorySessionStoreTest extends SessionStoreContract {
    @Override
    protected SessionStore createStore() {
        return new InMemorySessionStore();
    }
}
