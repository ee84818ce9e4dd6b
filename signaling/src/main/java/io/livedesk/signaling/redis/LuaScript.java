package io.livedesk.signaling.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.async.Stages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * One Lua script from the resources beside this class, prefixed with {@code common.lua} (the shared key
 * patterns and helpers; by convention ARGV[1] of every script is the tag of its keys, see {@link RedisKeys}).
 * Run with EVALSHA; when Redis does not know the script (restart, fail-over,
 * SCRIPT FLUSH) it falls back to EVAL, which also caches it again.
 */
public final class LuaScript {

    private static final String COMMON = "common.lua";

    private final String name;
    private final String body;
    private final String sha;

    private LuaScript(String name, String body) {
        this.name = name;
        this.body = body;
        this.sha = sha1Hex(body);
    }

    /**
     * Reads {@code <name>.lua} with {@code common.lua} and then the given shared parts (names without
     * {@code .lua}) in front of it: Redis has no includes, so shared functions travel with each script.
     */
    public static LuaScript load(String name, String... sharedParts) {
        StringBuilder body = new StringBuilder(resource(COMMON));
        for (String part : sharedParts) {
            body.append('\n').append(resource(part + ".lua"));
        }
        body.append('\n').append(resource(name + ".lua"));
        return new LuaScript(name, body.toString());
    }

    public String name() {
        return name;
    }

    /** Loads the script into Redis ahead of its first use. */
    public void preload(RedisClusterCommands<String, String> redis) {
        redis.scriptLoad(body);
    }

    /**
     * Runs the script with {@code key} as its one declared key (it routes the call to the master owning the
     * key's slot on a Redis Cluster) and ARGV = {@code keys.tag()} followed by args: for the scripts over the
     * shared keys.
     */
    public <T> T run(RedisClusterCommands<String, String> redis, RedisKeys keys, ScriptOutputType output, String key,
                     String... args) {
        return run(redis, keys.tag(), output, key, args);
    }

    /**
     * Runs the script with ARGV = {@code tag} followed by args, for a family with a tag of its own (see
     * {@link RedisKeys}); {@code key} must start with that tag, as every key the script builds does.
     */
    public <T> T run(RedisClusterCommands<String, String> redis, String tag, ScriptOutputType output, String key,
                     String... args) {
        String[] argv = argv(tag, args);
        String[] declared = {key};
        try {
            return redis.evalsha(sha, output, declared, argv);
        } catch (RedisNoScriptException e) {
            return redis.eval(body, output, declared, argv);
        }
    }

    /**
     * {@link #run(RedisClusterCommands, RedisKeys, ScriptOutputType, String, String...)} without waiting: the
     * future completes on Lettuce's I/O thread (see {@link RedisConnections#async()}).
     */
    public <T> CompletableFuture<T> runAsync(RedisClusterAsyncCommands<String, String> redis, RedisKeys keys,
                                             ScriptOutputType output, String key, String... args) {
        String[] argv = argv(keys.tag(), args);
        String[] declared = {key};
        CompletableFuture<T> bySha = redis.<T>evalsha(sha, output, declared, argv).toCompletableFuture();
        return bySha.exceptionallyCompose(e -> Stages.cause(e) instanceof RedisNoScriptException
                ? redis.<T>eval(body, output, declared, argv).toCompletableFuture()
                : CompletableFuture.<T>failedFuture(e))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(asRedisFailure(Stages.cause(e))));
    }

    /**
     * A failure of an asynchronous run as the synchronous API reports it: Lettuce fails a command in flight on a
     * connection that reset with the bare I/O exception, where the synchronous call throws a RedisException;
     * callers tell a store that did not answer by that type (unavailable, not an internal error).
     */
    static Throwable asRedisFailure(Throwable failure) {
        return failure instanceof RedisException ? failure : new RedisException(failure);
    }

    private static String[] argv(String tag, String[] args) {
        String[] argv = new String[args.length + 1];
        argv[0] = tag;
        System.arraycopy(args, 0, argv, 1, args.length);
        return argv;
    }

    private static String resource(String file) {
        try (InputStream in = LuaScript.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script resource " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
