package io.livedesk.signaling.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The node's connections to Redis: one Lettuce client, one shared connection for commands (Lettuce
 * multiplexes it safely across threads) and the pub/sub connections handed out. Callers use the
 * synchronous API from worker threads, never from Netty's event loop; the routing steps every call takes use
 * the asynchronous API, so a worker never waits on them.
 *
 * <p>Three deployments, told apart by the URL's scheme: one Redis ({@code redis://}, {@code rediss://}), a
 * master found through Sentinel ({@code redis-sentinel://}), or a Redis Cluster ({@code redis-cluster://},
 * {@code rediss-cluster://} for TLS) through Lettuce's cluster client, which sends each command to the
 * master owning its key's slot. {@link #sync()} and {@link #async()} are the APIs all three share, so the stores never know which.
 */
public final class RedisConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

    /** A periodic look at the cluster's layout, in case no command noticed that it changed. */
    static final Duration TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(10);
    /**
     * The least time between two refreshes that commands trigger (MOVED, ASK, failed reconnects). Lettuce's
     * default (30 s) would leave a node writing to a dead master that long after a failover.
     */
    static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(1);

    private static final String CLUSTER_SCHEME = "redis-cluster";
    private static final String CLUSTER_TLS_SCHEME = "rediss-cluster";

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> commands;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final boolean cluster;
    private final List<StatefulRedisPubSubConnection<String, String>> pubSubs = new CopyOnWriteArrayList<>();
    private final List<Disposable> watches = new CopyOnWriteArrayList<>();

    /**
     * Connects now, so that a wrong URL fails at start-up.
     *
     * @param url     e.g. {@code redis://127.0.0.1:6379}; through Sentinel
     *                {@code redis-sentinel://sentinel-1:26379,sentinel-2:26379#mymaster}; a Redis Cluster
     *                {@code redis-cluster://10.0.0.1:7000,10.0.0.2:7000} (any reachable members; the rest of
     *                the cluster is discovered from them)
     * @param timeout how long one command may take before it fails
     */
    public RedisConnections(String url, Duration timeout) {
        List<RedisURI> clusterSeeds = clusterSeeds(url);
        this.cluster = clusterSeeds != null;
        if (cluster) {
            clusterSeeds.forEach(u -> u.setTimeout(timeout));
            RedisClusterClient c = RedisClusterClient.create(clusterSeeds);
            c.setOptions(ClusterClientOptions.builder()
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH_PERIOD)
                            .enableAllAdaptiveRefreshTriggers()
                            .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT)
                            .build())
                    .build());
            this.client = c;
            StatefulRedisClusterConnection<String, String> connection = connect(c, c::connect);
            this.commands = connection;
            this.sync = connection.sync();
            this.async = connection.async();
            log.info("connected to a Redis Cluster of {} master(s) through {}", connection.getPartitions().stream()
                            .filter(n -> n.is(RedisClusterNode.NodeFlag.UPSTREAM))
                            .count(),
                    clusterSeeds.stream().map(s -> s.getHost() + ":" + s.getPort()).collect(Collectors.joining(", ")));
            return;
        }
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        RedisClient c = RedisClient.create(uri);
        c.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        this.client = c;
        StatefulRedisConnection<String, String> connection = connect(c, c::connect);
        this.commands = connection;
        this.sync = connection.sync();
        this.async = connection.async();
        if (uri.getSentinels().isEmpty()) {
            log.info("connected to Redis at {}:{}", uri.getHost(), uri.getPort());
        } else {
            // Lettuce asks the Sentinels for the master on every (re)connect, so a failover is followed.
            log.info("connected to Redis master '{}' through {} Sentinel(s) ({})", uri.getSentinelMasterId(),
                    uri.getSentinels().size(), uri.getSentinels().stream()
                            .map(s -> s.getHost() + ":" + s.getPort()).collect(Collectors.joining(", ")));
        }
    }

    /** The seeds of a {@code redis-cluster://} URL, or null for any other URL. */
    static List<RedisURI> clusterSeeds(String url) {
        int colon = url.indexOf("://");
        String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals(CLUSTER_SCHEME) && !scheme.equals(CLUSTER_TLS_SCHEME)) {
            return null;
        }
        // Lettuce reads several comma-separated hosts from a redis:// URI as the seeds of a cluster.
        String plain = (scheme.equals(CLUSTER_TLS_SCHEME) ? "rediss" : "redis") + url.substring(colon);
        return RedisClusterURIUtil.toRedisURIs(URI.create(plain));
    }

    private static <C> C connect(AbstractRedisClient client, Supplier<C> connect) {
        try {
            return connect.get();
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** Whether the URL named a Redis Cluster. */
    public boolean cluster() {
        return cluster;
    }

    /**
     * The shared command connection's synchronous API, the part a single Redis and a cluster have in common.
     * On a cluster each command goes to the master of its key's slot; a multi-key command must name keys of
     * one slot (see {@link RedisKeys}).
     */
    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    /**
     * The same connection's asynchronous API: commands are pipelined on it and their futures complete on
     * Lettuce's I/O thread, so whatever runs on completion must not wait on Redis itself (hand it to a worker).
     */
    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    /**
     * Runs {@code action} whenever a cluster's layout changed (a replica promoted, slots moved), on a Lettuce
     * thread, so it must not block; never for one Redis or Sentinel. Stops when the returned handle or this
     * object is closed.
     */
    public AutoCloseable onTopologyChange(Runnable action) {
        if (!cluster) {
            return () -> { };
        }
        Disposable watch = client.getResources().eventBus().get()
                .filter(ClusterTopologyChangedEvent.class::isInstance)
                .subscribe(e -> action.run());
        watches.add(watch);
        return watch::dispose;
    }

    /** Whether Redis answers now (readiness); never throws. */
    public boolean ping() {
        try {
            return "PONG".equals(sync.ping());
        } catch (RuntimeException e) {
            log.debug("Redis ping failed: {}", e.toString());
            return false;
        }
    }

    /**
     * A new pub/sub connection, closed with this object. On a cluster it is a
     * {@link io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection}: sharded subscriptions go to
     * the node owning the channel's slot.
     */
    public StatefulRedisPubSubConnection<String, String> newPubSub() {
        StatefulRedisPubSubConnection<String, String> connection = cluster
                ? ((RedisClusterClient) client).connectPubSub()
                : ((RedisClient) client).connectPubSub();
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
        watches.forEach(Disposable::dispose);
        watches.clear();
        commands.close();
        client.shutdown();
    }
}
