-- Shared by the scripts that put requests in routing (appended after common.lua).

-- A new request from the arguments of enqueue_request (below), as its hash would be, WAITING; or nil and -1
-- (the id is taken) / -2 (the customer has an open request). Reads only.
local function new_request(a)
  local id, customer = a[1], a[2]
  if redis.call('EXISTS', req_key(id)) == 1 then return nil, -1 end
  if redis.call('EXISTS', open_key(customer)) == 1 then return nil, -2 end
  return { id = id, customerId = customer, customerName = a[3], topic = a[4], language = a[5], priority = a[6],
           context = a[7], enqueuedAt = a[8], rank = a[9], member = a[10], state = 'WAITING',
           transferOf = a[11], transferFrom = a[12], colleague = a[13], origin = a[14] }
end

-- Puts a stored WAITING request in its queue; returns its 1-based place there (0 for a transfer to a named
-- colleague, which waits in none).
local function queue_request(r)
  if not queued(r) then return 0 end
  redis.call('ZADD', queue_key(r.topic, r.language), r.rank, r.member)
  redis.call('ZADD', waiting_key(r.topic), r.enqueuedAt, r.id)
  return redis.call('ZRANK', queue_key(r.topic, r.language), r.member) + 1
end

-- The place a request not put in its queue would have there: 1 + the requests ranked at or before it.
local function place_in_queue(r)
  return redis.call('ZCOUNT', queue_key(r.topic, r.language), '-inf', r.rank) + 1
end

-- RoutingStore.enqueue. a: id, customerId, customerName (JSON), topic, language, priority, context (JSON),
-- enqueuedAt, rank, queue member (enqueue time and id, so that equal ranks sort by them), and for a transfer
-- (else empty strings): the call it hands over, the handing staff member's name (JSON), the named colleague;
-- then the livestream origin (JSON, or an empty string).
-- Returns the 1-based place in its queue (0 for a transfer to a named colleague, which waits in none), or
-- -1 (the id is taken) / -2 (the customer has an open request) without changing anything; and the request
-- as stored (its hash as a table), so that a script can offer it at once without reading it back.
local function enqueue_request(a)
  local r, refused = new_request(a)
  if r == nil then return refused end
  store_request(r)
  return queue_request(r), r
end
