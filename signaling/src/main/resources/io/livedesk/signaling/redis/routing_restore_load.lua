-- RoutingStore.restoreLoad. ARGV: tag, staff id, load. Returns 1, or 0 for an unknown member.
local s = load_staff(ARGV[2])
if s == nil then return 0 end
update_staff(ARGV[2], s, { load = ARGV[3] })
return 1
