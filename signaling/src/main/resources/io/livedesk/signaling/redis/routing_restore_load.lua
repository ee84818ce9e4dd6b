-- RoutingStore.restoreLoad. ARGV: tag, staff id, live calls. Load = those calls + the offers the store holds
-- as ringing at the member (so putting a member back twice never forgets an offer made in between).
-- Returns 1, or 0 for an unknown member.
local staff_id = ARGV[2]
local s = load_staff(staff_id)
if s == nil then return 0 end
local offers = 0
for _, id in ipairs(redis.call('SMEMBERS', staff_offers_key(staff_id))) do
  local f = redis.call('HMGET', req_key(id), 'state', 'staff')
  if f[1] == 'OFFERED' and f[2] == staff_id then offers = offers + 1 end
end
update_staff(staff_id, s, { load = tostring(tonumber(ARGV[3]) + offers) })
return 1
