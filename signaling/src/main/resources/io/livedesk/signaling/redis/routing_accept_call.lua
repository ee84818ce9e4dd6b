-- RoutingSteps.accept: a staff member accepts the offer of a customer's request and its call starts.
-- ARGV: tag, request id (2), staff id (3), now (4), then the arguments of call_compare_and_set (call_common.lua,
-- 5..14) whose record JSON has "offeredAtMs":-1 standing for the offer's time, which only this script knows.
-- Only the member the request is offered to, before the offer expires, and only while the call's record is
-- the one expected. Returns {0} (not offered to them, or expired), {-1} (the record changed; nothing done), or
-- {1, the request hash as it was, with its offer}.
local staff_id, now = ARGV[3], tonumber(ARGV[4])
local r = hgetall(req_key(ARGV[2]))
if r == nil or r.state ~= 'OFFERED' or r.staff ~= staff_id or now >= tonumber(r.expiresAt) then
  return { 0 }
end
local cas = { unpack(ARGV, 5, 14) }
-- Inside a JSON string every quote is escaped, so only the record's own field can match.
cas[5] = (string.gsub(cas[5], '"offeredAtMs":%-1([,}])', '"offeredAtMs":' .. r.offeredAt .. '%1', 1))
if call_compare_and_set(unpack(cas)) == 0 then return { -1 } end
forget_request(r)
return { 1, hash_reply(r) }
