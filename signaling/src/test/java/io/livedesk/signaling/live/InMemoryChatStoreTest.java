package io.livedesk.signaling.live;

class InMemoryChatStoreTest extends ChatStoreContract {
    @Override
    protected ChatStore createStore() {
        return new InMemoryChatStore();
    }
}
