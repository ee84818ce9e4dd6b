-- RoutingSteps.endCall: a live call ends and its staff member is freed, in one step. ARGV: tag, the arguments
-- of call_compare_and_set (call_common.lua, 2..11), the staff member to free (12), now (13), the next offer's
-- expiresAt (14), whether to offer them their next request now ('1'/'0') (15).
-- Returns {0} when the record changed first (nothing done); else {1, the member as now stored (flat hash,
-- empty when unknown), and when offered: the request offered (flat hash), 1 if first offer else 0}.
if call_compare_and_set(unpack(ARGV, 2, 11)) == 0 then return { 0 } end
local member = lower_load(ARGV[12], ARGV[13])
if member == nil then return { 1, {} } end
if ARGV[15] ~= '1' then return { 1, hash_reply(member) } end
local r, after, first = match_staff(member, ARGV[13], ARGV[14])
if r == nil then return { 1, hash_reply(member) } end
return { 1, hash_reply(after), hash_reply(r), first and 1 or 0 }
