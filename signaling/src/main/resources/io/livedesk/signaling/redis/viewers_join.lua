-- ViewerPresenceStore.join. ARGV: tag, broadcast, viewer, display name ('' for none), now.
-- Returns 0 when the viewer is banned (nothing stored), 1 when they joined, 2 when they were present.
local viewer, name, now = ARGV[3], ARGV[4], ARGV[5]
if redis.call('SISMEMBER', BANS, viewer) == 1 then
  return 0
end
redis.call('SADD', EVER, viewer)
if name == '' then
  redis.call('HDEL', NAMES, viewer)
else
  redis.call('HSET', NAMES, viewer, name)
end
local last = redis.call('ZSCORE', SEEN, viewer)
if last then
  see(viewer, now, last)
  return 2
end
redis.call('ZADD', SEEN, now, viewer)
redis.call('ZADD', JOINS, now, viewer)
return 1
