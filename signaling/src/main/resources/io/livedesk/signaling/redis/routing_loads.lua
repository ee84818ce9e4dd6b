-- RoutingStore.loads (read only). ARGV: tag, topic... For each topic, per language its requests have: how many
-- wait in the queue, how many ring at a member, and the oldest enqueuedAt of either (the customer still waits
-- while it rings). Returns flat {topic, language, waiting, ringing, oldest} per (topic, language) with any.
-- Reads every request of the topics: meant for the wallboard's once-a-second snapshot, not the routed path.
local out = {}
for i = 2, #ARGV do
  local topic = ARGV[i]
  local by_language, order = {}, {}
  local function count(id, field)
    local h = redis.call('HMGET', req_key(id), 'language', 'enqueuedAt')
    if h[1] then
      local l = by_language[h[1]]
      if not l then
        l = { waiting = 0, ringing = 0, oldest = nil }
        by_language[h[1]] = l
        order[#order + 1] = h[1]
      end
      l[field] = l[field] + 1
      local at = tonumber(h[2])
      if at and (l.oldest == nil or at < l.oldest) then l.oldest = at end
    end
  end
  for _, id in ipairs(redis.call('ZRANGE', waiting_key(topic), 0, -1)) do count(id, 'waiting') end
  for _, id in ipairs(redis.call('SMEMBERS', offered_key(topic))) do count(id, 'ringing') end
  table.sort(order)
  for _, language in ipairs(order) do
    local l = by_language[language]
    out[#out + 1] = topic
    out[#out + 1] = language
    out[#out + 1] = l.waiting
    out[#out + 1] = l.ringing
    out[#out + 1] = tostring(l.oldest or 0)
  end
end
return out
