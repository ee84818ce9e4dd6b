-- Shared by the two match scripts (appended after common.lua): turns a WAITING request into an offer
-- to one member and raises their load.

-- Where the request id starts in a queue member: 16-digit enqueue time, ':', id (see RedisRoutingStore).
local QUEUE_MEMBER_ID_OFFSET = 18

local function offer(r, staff, now, expires_at)
  if queued(r) then
    redis.call('ZREM', queue_key(r.topic, r.language), r.member)
    redis.call('ZREM', waiting_key(r.topic), r.id)
    redis.call('SADD', offered_key(r.topic), r.id)
  end
  redis.call('HSET', req_key(r.id), 'state', 'OFFERED', 'staff', staff.id, 'offeredAt', now, 'expiresAt', expires_at)
  redis.call('ZADD', OFFERS, expires_at, r.id)
  redis.call('SADD', staff_offers_key(staff.id), r.id)
  update_staff(staff.id, staff, { load = tostring(tonumber(staff.load) + 1) })
end

-- Whether the member declined or missed this request less than the re-offer delay ago.
local function excluded(request_id, staff_id, now)
  local untilMs = redis.call('HGET', excl_key(request_id), staff_id)
  return untilMs and tonumber(now) < tonumber(untilMs)
end
