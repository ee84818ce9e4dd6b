package io.livedesk.speech.testing;

import java.util.HashMap;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;

/** A WebSocket server that accepts everything and never answers: a hung speech node. */
public final class SilentServer implements AutoCloseable {
    private final ServerContainer container;

    private SilentServer(ServerContainer container) {
        this.container = container;
    }

    public static SilentServer start() throws Exception {
        ServerContainer c = ServerContainerFactory.createServerContainer(new HashMap<>());
        c.addEndpoint(ServerEndpointConfig.Builder.create(Silent.class, "/").build());
        c.start("/", 0);
        return new SilentServer(c);
    }

    public int port() {
        return ((TyrusServerContainer) container).getPort();
    }

    @Override
    public void close() {
        container.stop();
    }

    /** Reads and drops. */
    public static final class Silent extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) m -> { });
            session.addMessageHandler(java.nio.ByteBuffer.class, (MessageHandler.Whole<java.nio.ByteBuffer>) m -> { });
        }
    }
}
