-- RoutingSteps.open: a customer's new request in one step. ARGV: tag, the arguments of enqueue_request
-- (routing_queue.lua, 2..15), those of create_call for its QUEUED record (call_common.lua, 16..25), now (26)
-- and the offer's expiresAt (27).
-- Refuses, changing nothing, when the customer has a live call or an open request or the id is taken;
-- else creates the call record and offers the request at once when a member can take it (then it never
-- enters its queue), or queues it.
-- Returns {place, or an error code: -1 id taken, -2 open request, -3 live call}, and when offered also
-- the staff id, 1 if it was the request's first offer else 0, and the member as now stored (flat hash).
local customer = ARGV[3]
local live = redis.call('GET', T .. 'livecall:' .. customer)
if live and redis.call('EXISTS', call_key(live)) == 1 then return { -3 } end
local r, refused = new_request({ unpack(ARGV, 2, 15) })
if r == nil then return { refused } end
if create_call(unpack(ARGV, 16, 25)) == 0 then return { -1 } end
local staff, first = match_request(r, ARGV[26], ARGV[27], true)
if staff == nil then
  store_request(r)
  return { queue_request(r) }
end
return { place_in_queue(r), staff.id, first and 1 or 0, hash_reply(staff) }
