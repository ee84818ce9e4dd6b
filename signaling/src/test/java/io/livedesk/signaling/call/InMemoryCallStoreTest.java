package io.livedesk.signaling.call;

class InMemoryCallStoreTest extends CallStoreContract {
    @Override
    protected CallStore createStore() {
        return new InMemoryCallStore();
    }
}
