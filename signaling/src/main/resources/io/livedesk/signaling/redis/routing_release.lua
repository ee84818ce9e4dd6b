-- RoutingStore.release. ARGV: tag, request id, staff id, now, excluded until, member away ('1' or '0').
-- Only the member the request is offered to. Back to WAITING with its old rank and member (so its old
-- place), load down by one, member excluded from the request until the given time, and (an offer that rang
-- out) the member set AWAY in the same step. Returns 1 or 0.
local staff_id, now, until_ms, away = ARGV[3], ARGV[4], ARGV[5], ARGV[6] == '1'
local r = hgetall(req_key(ARGV[2]))
if r == nil or r.state ~= 'OFFERED' or r.staff ~= staff_id then return 0 end
redis.call('HSET', req_key(r.id), 'state', 'WAITING')
redis.call('HDEL', req_key(r.id), 'staff', 'offeredAt', 'expiresAt')
redis.call('ZREM', OFFERS, r.id)
redis.call('SREM', staff_offers_key(staff_id), r.id)
if queued(r) then
  redis.call('SREM', offered_key(r.topic), r.id)
  redis.call('ZADD', queue_key(r.topic, r.language), r.rank, r.member)
  redis.call('ZADD', waiting_key(r.topic), r.enqueuedAt, r.id)
end
redis.call('HSET', excl_key(r.id), staff_id, until_ms)
if away then
  local s = load_staff(staff_id)
  if s ~= nil then update_staff(staff_id, s, { status = 'AWAY', lastActivity = now }) end
end
lower_load(staff_id, nil)
return 1
