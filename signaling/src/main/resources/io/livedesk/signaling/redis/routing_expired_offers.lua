-- RoutingStore.expiredOffers (read only). ARGV: tag, now, max.
-- Returns flat {requestId, staffId, offeredAt, expiresAt, ...}, oldest expiry first (ties by request id).
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', OFFERS, '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))) do
  local o = redis.call('HMGET', req_key(id), 'staff', 'offeredAt', 'expiresAt')
  if o[1] then
    out[#out + 1] = id
    out[#out + 1] = o[1]
    out[#out + 1] = o[2]
    out[#out + 1] = o[3]
  end
end
return out
