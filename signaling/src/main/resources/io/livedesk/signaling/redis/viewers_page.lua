-- ViewerPresenceStore.page. ARGV: tag, broadcast, offset, limit, fresh from (now - ttl), stale limit.
-- Returns flat {viewer, name ('' for none), joinedAt, lastSeen, ...} of fresh viewers in join order.
-- The offset counts fresh viewers only. Stale ones (a missed heartbeat, not yet expired) are few, as the
-- sweep removes them: their ranks in join order tell where the page starts, at O(stale * log n) rather
-- than walking every viewer before it. Past "stale limit" of them the page may come back short (the
-- unseen stale ones are still left out, never shown).
local offset, limit, fresh_from = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local ranks = {}
for _, viewer in ipairs(redis.call('ZRANGEBYSCORE', SEEN, '-inf', '(' .. ARGV[5], 'LIMIT', 0, tonumber(ARGV[6]))) do
  local rank = redis.call('ZRANK', JOINS, viewer)
  if rank then
    ranks[#ranks + 1] = rank
  end
end
table.sort(ranks)
-- start = the join rank of the offset-th fresh viewer: every stale rank at or before it shifts it by one.
local start, before = offset, 0
for _, rank in ipairs(ranks) do
  if rank > start then
    break
  end
  start = start + 1
  before = before + 1
end
local out = {}
local window = redis.call('ZRANGE', JOINS, start, start + limit + (#ranks - before) - 1, 'WITHSCORES')
for i = 1, #window, 2 do
  if #out >= 4 * limit then
    break
  end
  local viewer = window[i]
  local last = redis.call('ZSCORE', SEEN, viewer)
  if last and tonumber(last) >= fresh_from then
    out[#out + 1] = viewer
    out[#out + 1] = redis.call('HGET', NAMES, viewer) or ''
    out[#out + 1] = window[i + 1]
    out[#out + 1] = last
  end
end
return out
