package io.livedesk.signaling.routing;

import io.livedesk.signaling.presence.InMemoryPresenceStore;

class InMemoryRoutingStoreTest extends RoutingStoreContract {
    @Override
    protected Stores createStores() {
        InMemoryPresenceStore presence = new InMemoryPresenceStore();
        return new Stores(presence, new InMemoryRoutingStore(presence));
    }
}
