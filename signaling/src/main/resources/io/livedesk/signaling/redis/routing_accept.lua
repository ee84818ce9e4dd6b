-- RoutingStore.accept. ARGV: tag, request id, staff id, now.
-- Only the member the request is offered to, before the offer expires. The request leaves routing;
-- the member's load stays (the offer became a call). Returns the request hash, or an empty list.
local staff_id, now = ARGV[3], tonumber(ARGV[4])
local r = hgetall(req_key(ARGV[2]))
if r == nil or r.state ~= 'OFFERED' or r.staff ~= staff_id or now >= tonumber(r.expiresAt) then
  return {}
end
local flat = redis.call('HGETALL', req_key(r.id))
forget_request(r)
return flat
