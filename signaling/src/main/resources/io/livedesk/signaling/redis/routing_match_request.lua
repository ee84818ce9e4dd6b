-- RoutingStore.matchRequest. ARGV: tag, request id, now, expiresAt.
-- Walks the availability set of the request's (topic, language), least loaded first, then longest idle
-- (ties by id, as the sorted set orders equal scores), at most SCAN_LIMIT members, skipping excluded ones.
-- Returns the staff id offered, or nil.
local now, expires_at = ARGV[3], ARGV[4]
local r = hgetall(req_key(ARGV[2]))
if r == nil or r.state ~= 'WAITING' or not queued(r) then return false end
for _, staff_id in ipairs(redis.call('ZRANGE', avail_key(r.topic, r.language), 0, SCAN_LIMIT - 1)) do
  local staff = load_staff(staff_id)
  -- The set holds exactly the offerable members; checking again costs little and guards the invariant.
  if offerable(staff) and not excluded(r.id, staff_id, now) then
    offer(r, staff, now, expires_at)
    return staff_id
  end
end
return false
