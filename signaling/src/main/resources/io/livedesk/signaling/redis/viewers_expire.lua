-- ViewerPresenceStore.expire. ARGV: tag, broadcast, heartbeat before which a viewer expires, max.
-- Removes the viewers it returns, so each goes to exactly one caller, and adds each one's time from
-- join to last heartbeat to the watch time.
-- Returns flat {viewer, name ('' for none), joinedAt, lastSeen, ...}, oldest heartbeat first.
local out = {}
local stale = redis.call('ZRANGEBYSCORE', SEEN, '-inf', '(' .. ARGV[3], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[4]))
for i = 1, #stale, 2 do
  local viewer, last = stale[i], stale[i + 1]
  out[#out + 1] = viewer
  out[#out + 1] = redis.call('HGET', NAMES, viewer) or ''
  out[#out + 1] = redis.call('ZSCORE', JOINS, viewer) or last
  out[#out + 1] = last
  drop_viewer(viewer, tonumber(last))
end
return out
