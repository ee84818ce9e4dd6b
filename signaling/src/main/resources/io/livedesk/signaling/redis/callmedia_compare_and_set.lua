-- CallMediaStore.compareAndSet. KEYS[1] the call's media-state hash. ARGV: tag, expected revision ('0': none
-- stored), new revision, the state as JSON, TTL (s). Writes only over the expected revision, so that of two nodes
-- that both think they hold a call's media only one writes; every write pushes the expiry back.
-- Returns 1 if it wrote, 0 if the stored revision was another.
local key = KEYS[1]
local rev = redis.call('HGET', key, 'rev')
if not rev then rev = '0' end
if rev ~= ARGV[2] then return 0 end
redis.call('HSET', key, 'rev', ARGV[3], 'json', ARGV[4])
redis.call('EXPIRE', key, ARGV[5])
return 1
