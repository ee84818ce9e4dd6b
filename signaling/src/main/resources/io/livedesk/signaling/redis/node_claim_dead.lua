-- NodeRegistry.claimDead. ARGV: tag, last heartbeat at or before this is dead.
-- Read and removal in one step, so a node that heartbeats meanwhile is never removed, and each dead node
-- is returned to exactly one caller. Returns the node ids, oldest heartbeat first.
local nodes = T .. 'nodes'
local dead = redis.call('ZRANGEBYSCORE', nodes, '-inf', ARGV[2])
for _, node in ipairs(dead) do
  redis.call('ZREM', nodes, node)
end
return dead
