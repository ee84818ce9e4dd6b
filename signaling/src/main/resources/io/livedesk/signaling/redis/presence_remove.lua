-- PresenceStore.remove. ARGV: tag, id.
local before = load_staff(ARGV[2])
if before == nil then return 0 end
sync_availability(before, nil)
redis.call('DEL', staff_key(ARGV[2]))
redis.call('SREM', STAFF_IDS, ARGV[2])
return 1
