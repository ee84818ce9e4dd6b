package io.livedesk.signaling.media;

class InMemoryCallMediaStoreTest extends CallMediaStoreContract {
    @Override
    protected CallMediaStore createStore() {
        return new InMemoryCallMediaStore();
    }
}
