-- RoutingStore.cancel. ARGV: tag, request id, now.
-- Takes the request out of routing; an offered one gives its member's load back.
-- Returns the request hash as it was (with the offer, if any), or an empty list.
local r = hgetall(req_key(ARGV[2]))
if r == nil then return {} end
local flat = redis.call('HGETALL', req_key(r.id))
if r.state == 'OFFERED' then
  lower_load(r.staff, nil)
end
forget_request(r)
return flat
