-- Shared by the scripts that put requests in routing (appended after common.lua).

-- RoutingStore.enqueue. a: id, customerId, customerName (JSON), topic, language, priority, context (JSON),
-- enqueuedAt, rank, queue member (enqueue time and id, so that equal ranks sort by them), and for a transfer
-- (else empty strings): the call it hands over, the handing staff member's name (JSON), the named colleague;
-- then the livestream origin (JSON, or an empty string).
-- Returns the 1-based place in its queue (0 for a transfer to a named colleague, which waits in none), or
-- -1 (the id is taken) / -2 (the customer has an open request) without changing anything; and the request
-- as stored (its hash as a table), so that a script can offer it at once without reading it back.
local function enqueue_request(a)
  local id, customer, topic, lang = a[1], a[2], a[4], a[5]
  local enqueued_at, rank, member = a[8], a[9], a[10]
  if redis.call('EXISTS', req_key(id)) == 1 then return -1 end
  if redis.call('EXISTS', open_key(customer)) == 1 then return -2 end
  local r = { id = id, customerId = customer, customerName = a[3], topic = topic, language = lang, priority = a[6],
              context = a[7], enqueuedAt = enqueued_at, rank = rank, member = member, state = 'WAITING',
              transferOf = a[11], transferFrom = a[12], colleague = a[13], origin = a[14] }
  redis.call('HSET', req_key(id), unpack(hash_reply(r)))
  redis.call('SET', open_key(customer), id)
  if not queued(r) then return 0, r end
  redis.call('ZADD', queue_key(topic, lang), rank, member)
  redis.call('ZADD', waiting_key(topic), enqueued_at, id)
  return redis.call('ZRANK', queue_key(topic, lang), member) + 1, r
end
