-- SessionStore.disconnectNode. ARGV: tag, node, now.
-- Every subject bound on the node becomes a disconnect mark. Returns flat {subject, role, node, conn, ...}.
local node, now = ARGV[2], ARGV[3]
local out = {}
for _, subject in ipairs(redis.call('SMEMBERS', T .. 'nodesessions:' .. node)) do
  local loc = redis.call('HMGET', T .. 'session:' .. subject, 'role', 'node', 'conn')
  if loc[2] == node then
    disconnect_subject(subject, node, now)
    out[#out + 1] = subject
    out[#out + 1] = loc[1]
    out[#out + 1] = loc[2]
    out[#out + 1] = loc[3]
  end
end
redis.call('DEL', T .. 'nodesessions:' .. node)
return out
