-- NodeRegistry.heartbeat. ARGV: tag, node id, now, an epoch to give the store if it has none.
-- Returns the store's epoch: a new one after Redis lost its data, which tells each node to put back its own.
local epoch_key = T .. 'epoch'
local epoch = redis.call('GET', epoch_key)
if not epoch then
  epoch = ARGV[4]
  redis.call('SET', epoch_key, epoch)
end
redis.call('ZADD', T .. 'nodes', ARGV[3], ARGV[2])
return epoch
