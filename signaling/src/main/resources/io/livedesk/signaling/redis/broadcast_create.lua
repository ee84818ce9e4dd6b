-- BroadcastStore.create. KEYS[1] the broadcast's hash. ARGV: tag, broadcast id, state, json (counters
-- zeroed), scheduledAt, revision, the index of the state (RedisKeys.broadcasts), then counter field/value
-- pairs. Returns 0 if the id exists.
local key, id, scheduled_at = KEYS[1], ARGV[2], ARGV[5]
if redis.call('EXISTS', key) == 1 then return 0 end
redis.call('HSET', key, 'state', ARGV[3], 'json', ARGV[4], 'scheduledAt', scheduled_at, 'rev', ARGV[6],
    unpack(ARGV, 8))
redis.call('ZADD', ARGV[7], scheduled_at, id)
return 1
