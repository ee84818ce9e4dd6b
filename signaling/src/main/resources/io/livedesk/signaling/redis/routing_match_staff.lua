-- RoutingStore.matchStaff. ARGV: tag, staff id, now, expiresAt.
-- Returns {request id offered, 1 if it was the request's first offer else 0}, or an empty list.
local r, _, first = match_staff(load_staff(ARGV[2]), ARGV[3], ARGV[4])
if r == nil then return {} end
return { r.id, first and 1 or 0 }
