-- PresenceStore.disconnect. ARGV: tag, id, now. Returns the hash, or an empty list for an unknown member.
local before = load_staff(ARGV[2])
if before == nil then return {} end
update_staff(ARGV[2], before, { connected = '0' })
return redis.call('HGETALL', staff_key(ARGV[2]))
