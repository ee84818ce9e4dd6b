-- PresenceStore.setStatus. ARGV: tag, id, status (AVAILABLE, AWAY or OFFLINE), now.
-- Becoming AVAILABLE (from another status) with load 0 starts a new idle period. Returns the hash, or an empty list.
local status, now = ARGV[3], ARGV[4]
local before = load_staff(ARGV[2])
if before == nil then return {} end
local fields = { status = status, lastActivity = now }
if status == 'AVAILABLE' and before.status ~= 'AVAILABLE' and tonumber(before.load) == 0 then
  fields.idleSince = now
end
update_staff(ARGV[2], before, fields)
return redis.call('HGETALL', staff_key(ARGV[2]))
