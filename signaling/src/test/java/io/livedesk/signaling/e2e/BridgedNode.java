package io.livedesk.signaling.e2e;

import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.signaling.testing.TestNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * A node with its in-process bridge on a free UDP port for one browser test class: started before its tests
 * (with the class's settings on top of {@link CallPages#startBridgedNode}'s), closed after them.
 */
final class BridgedNode implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, Object> settings;
    private LiveDeskNode node;
    private CallPages pages;

    BridgedNode(Map<String, Object> settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        node = CallPages.startBridgedNode(TestNode.freeUdpPort(), settings);
        pages = CallPages.of(node);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (node != null) {
            node.close();
        }
    }

    LiveDeskNode node() {
        return node;
    }

    CallPages pages() {
        return pages;
    }
}
