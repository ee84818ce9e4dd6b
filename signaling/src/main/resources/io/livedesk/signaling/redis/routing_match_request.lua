-- RoutingStore.matchRequest. ARGV: tag, request id, now, expiresAt.
-- Returns {staff id offered, 1 if it was the request's first offer else 0}, or an empty list.
local staff, first = match_request(hgetall(req_key(ARGV[2])), ARGV[3], ARGV[4])
if staff == nil then return {} end
return { staff.id, first and 1 or 0 }
