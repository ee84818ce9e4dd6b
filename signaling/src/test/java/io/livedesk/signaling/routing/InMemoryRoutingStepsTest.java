package io.livedesk.signaling.routing;

import io.livedesk.signaling.call.InMemoryCallStore;
import io.livedesk.signaling.presence.InMemoryPresenceStore;

class InMemoryRoutingStepsTest extends RoutingStepsContract {
    @Override
    protected Stores createStores() {
        InMemoryPresenceStore presence = new InMemoryPresenceStore();
        InMemoryRoutingStore routing = new InMemoryRoutingStore(presence);
        InMemoryCallStore calls = new InMemoryCallStore();
        return new Stores(presence, routing, calls, new SeparateRoutingSteps(routing, calls, presence));
    }
}
