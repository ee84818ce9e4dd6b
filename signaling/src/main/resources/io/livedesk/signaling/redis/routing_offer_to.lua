-- RoutingStore.offerTo. ARGV: tag, request id, staff id, now, expiresAt.
-- Offers a WAITING request to that one member, whatever its topic, if they can take an offer now and are
-- not excluded from it. Returns {1 if it was the request's first offer else 0}, or an empty list.
local now, expires_at = ARGV[4], ARGV[5]
local r = hgetall(req_key(ARGV[2]))
if r == nil or r.state ~= 'WAITING' then return {} end
local staff = load_staff(ARGV[3])
if not offerable(staff) or excluded(r.id, ARGV[3], now) then return {} end
local _, first = offer(r, staff, now, expires_at)
return { first and 1 or 0 }
