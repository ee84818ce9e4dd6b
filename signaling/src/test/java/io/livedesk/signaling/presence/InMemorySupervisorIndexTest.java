package io.livedesk.signaling.presence;

class InMemorySupervisorIndexTest extends SupervisorIndexContract {
    @Override
    protected SupervisorIndex createIndex() {
        return new InMemorySupervisorIndex();
    }
}
