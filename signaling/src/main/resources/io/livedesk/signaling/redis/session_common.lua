-- Shared by the session scripts: a bound subject becomes disconnected at now, remembering where it was.
local function disconnect_subject(subject, node, now)
  local key = T .. 'session:' .. subject
  redis.call('RENAME', key, T .. 'gone:' .. subject)
  redis.call('SREM', T .. 'nodesessions:' .. node, subject)
  redis.call('ZADD', T .. 'disconnected', now, subject)
end
