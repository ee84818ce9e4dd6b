-- BroadcastStore.list (read only). ARGV: tag, limit, then the index of each wanted state
-- (RedisKeys.broadcasts). Takes the first `limit` of each index, merges them by scheduled time then id
-- (the order within each index) and returns the hashes of the first `limit`, each as a flat
-- field/value list. The hash key pattern mirrors RedisKeys.broadcast.
local limit = tonumber(ARGV[2])
local out = {}
if limit <= 0 then return out end
local found = {}
for i = 3, #ARGV do
  local flat = redis.call('ZRANGE', ARGV[i], 0, limit - 1, 'WITHSCORES')
  for j = 1, #flat, 2 do
    found[#found + 1] = { id = flat[j], at = tonumber(flat[j + 1]) }
  end
end
table.sort(found, function(a, b)
  if a.at ~= b.at then return a.at < b.at end
  return bytes_less(a.id, b.id)
end)
for i = 1, math.min(limit, #found) do
  out[i] = redis.call('HGETALL', T .. 'broadcast:' .. found[i].id)
end
return out
