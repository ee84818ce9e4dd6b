package io.livedesk.signaling.live;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the scripts a Redis server ran, from its command statistics: how a test tells that an operation
 * took the round trips it should, which its results alone would not show.
 */
final class ScriptRuns {

    private static final Pattern RUNS = Pattern.compile("^cmdstat_(?:eval|evalsha):calls=(\\d+)", Pattern.MULTILINE);

    private ScriptRuns() {
    }

    static void reset(RedisClusterCommands<String, String> redis) {
        redis.configResetstat();
    }

    /** EVAL and EVALSHA calls since the last {@link #reset}. */
    static long count(RedisClusterCommands<String, String> redis) {
        Matcher m = RUNS.matcher(redis.info("commandstats"));
        long runs = 0;
        while (m.find()) {
            runs += Long.parseLong(m.group(1));
        }
        return runs;
    }
}
