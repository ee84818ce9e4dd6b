-- RoutingStore.position (read only). ARGV: tag, request id. 1-based place in its queue, or 0 if not WAITING.
local r = hgetall(req_key(ARGV[2]))
if r == nil or r.state ~= 'WAITING' then return 0 end
local rank = redis.call('ZRANK', queue_key(r.topic, r.language), r.member)
if not rank then return 0 end
return rank + 1
