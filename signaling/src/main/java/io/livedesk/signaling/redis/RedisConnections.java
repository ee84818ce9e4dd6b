package io.livedesk.signaling.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's connections to Redis: one Lettuce client, one shared connection for commands (Lettuce
 * multiplexes it safely across threads) and the pub/sub connections handed out. Callers use the
 * synchronous API from worker threads, never from Netty's event loop.
 */
public final class RedisConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final List<StatefulRedisPubSubConnection<String, String>> pubSubs = new CopyOnWriteArrayList<>();

    /**
     * Connects now, so that a wrong URL fails at start-up.
     *
     * @param url     e.g. {@code redis://127.0.0.1:6379}, or through Sentinel
     *                {@code redis-sentinel://sentinel-1:26379,sentinel-2:26379#mymaster}
     * @param timeout how long one command may take before it fails
     */
    public RedisConnections(String url, Duration timeout) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        try {
            this.commands = client.connect();
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
        if (uri.getSentinels().isEmpty()) {
            log.info("connected to Redis at {}:{}", uri.getHost(), uri.getPort());
        } else {
            // Lettuce asks the Sentinels for the master on every (re)connect, so a failover is followed.
            log.info("connected to Redis master '{}' through {} Sentinel(s) ({})", uri.getSentinelMasterId(),
                    uri.getSentinels().size(), uri.getSentinels().stream()
                            .map(s -> s.getHost() + ":" + s.getPort()).collect(Collectors.joining(", ")));
        }
    }

    /** The shared command connection's synchronous API. */
    public RedisCommands<String, String> sync() {
        return commands.sync();
    }

    /** Whether Redis answers now (readiness); never throws. */
    public boolean ping() {
        try {
            return "PONG".equals(commands.sync().ping());
        } catch (RuntimeException e) {
            log.debug("Redis ping failed: {}", e.toString());
            return false;
        }
    }

    /** A new pub/sub connection, closed with this object. */
    public StatefulRedisPubSubConnection<String, String> newPubSub() {
        StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
        pubSubs.add(connection);
        return connection;
    }

    @Override
    public void close() {
        for (StatefulRedisPubSubConnection<String, String> c : pubSubs) {
            if (c.isOpen()) { // its user may have closed it already
                c.close();
            }
        }
        pubSubs.clear();
        commands.close();
        client.shutdown();
    }
}
