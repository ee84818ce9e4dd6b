-- SessionStore.claimExpired. ARGV: tag, disconnected at or before, max.
-- Removes the marks it returns, so each subject goes to exactly one caller.
-- Returns flat {subject, role, node, conn, ...}, oldest first.
local out = {}
local subjects = redis.call('ZRANGEBYSCORE', T .. 'disconnected', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, subject in ipairs(subjects) do
  local gone = T .. 'gone:' .. subject
  local loc = redis.call('HMGET', gone, 'role', 'node', 'conn')
  redis.call('ZREM', T .. 'disconnected', subject)
  redis.call('DEL', gone)
  if loc[1] then
    out[#out + 1] = subject
    out[#out + 1] = loc[1]
    out[#out + 1] = loc[2]
    out[#out + 1] = loc[3]
  end
end
return out
