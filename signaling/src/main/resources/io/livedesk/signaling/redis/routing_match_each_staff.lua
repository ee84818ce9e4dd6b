-- RoutingStore.matchEachStaff. ARGV: tag, now, expiresAt, staff ids.
-- match_staff for each member in turn. Returns, for each offer made: staff id, request id, 1 if it was the
-- request's first offer else 0, flat.
local now, expires_at = ARGV[2], ARGV[3]
local out = {}
for i = 4, #ARGV do
  local r, _, first = match_staff(load_staff(ARGV[i]), now, expires_at)
  if r ~= nil then
    out[#out + 1] = ARGV[i]
    out[#out + 1] = r.id
    out[#out + 1] = first and 1 or 0
  end
end
return out
