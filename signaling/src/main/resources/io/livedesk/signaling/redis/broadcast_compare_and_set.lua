-- BroadcastStore.compareAndSet. KEYS[1] the broadcast's hash. ARGV: tag, broadcast id, expected state,
-- expected revision, new state, new json (counters zeroed), new scheduledAt, new revision, the index of
-- the expected state, the index of the new state. The counter fields are left as they are, so counts
-- added meanwhile are kept. Returns 1 if it replaced the record.
local key, id, scheduled_at = KEYS[1], ARGV[2], ARGV[7]
local old = redis.call('HMGET', key, 'state', 'rev')
if old[1] ~= ARGV[3] or old[2] ~= ARGV[4] then return 0 end
redis.call('HSET', key, 'state', ARGV[5], 'json', ARGV[6], 'scheduledAt', scheduled_at, 'rev', ARGV[8])
redis.call('ZREM', ARGV[9], id)
redis.call('ZADD', ARGV[10], scheduled_at, id)
return 1
