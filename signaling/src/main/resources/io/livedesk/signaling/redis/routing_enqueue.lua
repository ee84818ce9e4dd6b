-- RoutingStore.enqueue. ARGV: tag, id, customerId, customerName, topic, language, priority, context (JSON),
-- enqueuedAt, rank, queue member (enqueue time and id, so that equal ranks sort by them), and for a transfer
-- (else empty strings): the call it hands over, the handing staff member's name (JSON), the named colleague;
-- then the livestream origin (JSON, or an empty string).
-- Returns the 1-based place in its queue (0 for a transfer to a named colleague, which waits in none), or
-- -1 (the id is taken) / -2 (the customer has an open request) without changing anything.
local id, customer, topic, lang = ARGV[2], ARGV[3], ARGV[5], ARGV[6]
local enqueued_at, rank, member = ARGV[9], ARGV[10], ARGV[11]
if redis.call('EXISTS', req_key(id)) == 1 then return -1 end
if redis.call('EXISTS', open_key(customer)) == 1 then return -2 end
redis.call('HSET', req_key(id), 'id', id, 'customerId', customer, 'customerName', ARGV[4], 'topic', topic,
    'language', lang, 'priority', ARGV[7], 'context', ARGV[8], 'enqueuedAt', enqueued_at, 'rank', rank,
    'member', member, 'state', 'WAITING', 'transferOf', ARGV[12], 'transferFrom', ARGV[13], 'colleague', ARGV[14],
    'origin', ARGV[15])
redis.call('SET', open_key(customer), id)
if ARGV[14] ~= '' then return 0 end
redis.call('ZADD', queue_key(topic, lang), rank, member)
redis.call('ZADD', waiting_key(topic), enqueued_at, id)
return redis.call('ZRANK', queue_key(topic, lang), member) + 1
