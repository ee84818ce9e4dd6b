-- RoutingStore.ringingOffersTo. ARGV: tag, staff id, now.
-- The requests ringing at the member now, from the member's offer index (a few entries): for each, id,
-- offeredAt and expiresAt. Entries that no longer ring at them are dropped from the index.
local staff_id, now = ARGV[2], tonumber(ARGV[3])
local index = staff_offers_key(staff_id)
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', index)) do
  local f = redis.call('HMGET', req_key(id), 'state', 'staff', 'offeredAt', 'expiresAt')
  if f[1] == 'OFFERED' and f[2] == staff_id then
    if tonumber(f[4]) > now then
      out[#out + 1] = id
      out[#out + 1] = f[3]
      out[#out + 1] = f[4]
    end
  else
    redis.call('SREM', index, id)
  end
end
return out
