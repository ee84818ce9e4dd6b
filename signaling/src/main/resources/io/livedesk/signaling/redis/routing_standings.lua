-- RoutingStore.standings (read only). ARGV: tag, customer ids.
-- For each customer with an open request of their own (not a transfer of their call): customer, request id,
-- topic, and its 1-based place in its queue while WAITING (0 while it rings), flat.
local out = {}
for i = 2, #ARGV do
  local customer = ARGV[i]
  local id = redis.call('GET', open_key(customer))
  if id then
    local f = redis.call('HMGET', req_key(id), 'topic', 'language', 'member', 'state', 'transferOf')
    if f[1] and (f[5] == false or f[5] == '') then
      local place = 0
      if f[4] == 'WAITING' then
        local rank = redis.call('ZRANK', queue_key(f[1], f[2]), f[3])
        if rank then place = rank + 1 end
      end
      out[#out + 1] = customer
      out[#out + 1] = id
      out[#out + 1] = f[1]
      out[#out + 1] = place
    end
  end
end
return out
