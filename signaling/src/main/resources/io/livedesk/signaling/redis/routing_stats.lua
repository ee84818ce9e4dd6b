-- RoutingStore.stats (read only). ARGV: tag, topic... Returns flat {waiting, offered, oldest enqueuedAt
-- or '0'} per topic, as one consistent snapshot.
local out = {}
for i = 2, #ARGV do
  local topic = ARGV[i]
  local oldest = redis.call('ZRANGE', waiting_key(topic), 0, 0, 'WITHSCORES')
  out[#out + 1] = redis.call('ZCARD', waiting_key(topic))
  out[#out + 1] = redis.call('SCARD', offered_key(topic))
  out[#out + 1] = oldest[2] or '0'
end
return out
