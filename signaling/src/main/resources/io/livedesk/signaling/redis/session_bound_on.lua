-- SessionStore.boundOn (read only). ARGV: tag, node. Returns flat {subject, role, node, conn, ...}.
local node = ARGV[2]
local out = {}
for _, subject in ipairs(redis.call('SMEMBERS', T .. 'nodesessions:' .. node)) do
  local loc = redis.call('HMGET', T .. 'session:' .. subject, 'role', 'node', 'conn')
  if loc[2] == node then
    out[#out + 1] = subject
    out[#out + 1] = loc[1]
    out[#out + 1] = loc[2]
    out[#out + 1] = loc[3]
  end
end
return out
