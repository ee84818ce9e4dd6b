-- CallStore.recent, CallStore.history and CallStore.live (read only). ARGV: tag, limit, the index after the
-- tag: 'calls' (all recent calls), 'history:<subject>' (a person's) or 'live' (live calls).
-- Newest first: walks the index a page at a time and returns the JSON of the records still kept.
local limit = tonumber(ARGV[2])
local index = T .. ARGV[3]
local out = {}
if limit <= 0 then return out end
local from = 0
while #out < limit do
  local ids = redis.call('ZREVRANGE', index, from, from + limit - 1)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    local json = redis.call('HGET', T .. 'call:' .. id, 'json')
    if json then
      out[#out + 1] = json
      if #out >= limit then break end
    end
  end
  from = from + limit
end
return out
