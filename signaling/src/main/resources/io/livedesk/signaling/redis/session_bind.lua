-- SessionStore.bind. ARGV: tag, subject, role, node, connection.
-- Replaces any binding, clears a disconnect mark. Returns the replaced binding {role, node, conn}, or an empty list.
local subject, role, node, conn = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local key = T .. 'session:' .. subject
local old = redis.call('HMGET', key, 'role', 'node', 'conn')
if old[2] then
  redis.call('SREM', T .. 'nodesessions:' .. old[2], subject)
end
redis.call('HSET', key, 'role', role, 'node', node, 'conn', conn)
redis.call('SADD', T .. 'nodesessions:' .. node, subject)
redis.call('ZREM', T .. 'disconnected', subject)
redis.call('DEL', T .. 'gone:' .. subject)
if old[2] and not (old[1] == role and old[2] == node and old[3] == conn) then
  return old
end
return {}
