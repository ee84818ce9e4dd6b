-- RoutingStore.release. ARGV: tag, request id, staff id, now, excluded until.
-- Only the member the request is offered to. Back to WAITING with its old rank and member (so its old
-- place), load down by one, member excluded from the request until the given time. Returns 1 or 0.
local staff_id, now, until_ms = ARGV[3], ARGV[4], ARGV[5]
local r = hgetall(req_key(ARGV[2]))
if r == nil or r.state ~= 'OFFERED' or r.staff ~= staff_id then return 0 end
redis.call('HSET', req_key(r.id), 'state', 'WAITING')
redis.call('HDEL', req_key(r.id), 'staff', 'offeredAt', 'expiresAt')
redis.call('ZREM', OFFERS, r.id)
if queued(r) then
  redis.call('SREM', offered_key(r.topic), r.id)
  redis.call('ZADD', queue_key(r.topic, r.language), r.rank, r.member)
  redis.call('ZADD', waiting_key(r.topic), r.enqueuedAt, r.id)
end
redis.call('HSET', excl_key(r.id), staff_id, until_ms)
lower_load(staff_id, nil)
return 1
