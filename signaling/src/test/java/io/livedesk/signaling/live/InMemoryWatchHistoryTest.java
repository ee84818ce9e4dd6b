package io.livedesk.signaling.live;

class InMemoryWatchHistoryTest extends WatchHistoryContract {
    @Override
    protected WatchHistory createStore() {
        return new InMemoryWatchHistory();
    }
}
