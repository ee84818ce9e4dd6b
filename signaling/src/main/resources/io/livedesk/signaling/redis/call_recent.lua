-- CallStore.recent (read only). ARGV: tag, limit, staff id ('' for all).
-- Newest first: walks the recent index (bounded by its trim size) and returns the records' JSON.
local limit, staff = tonumber(ARGV[2]), ARGV[3]
local out = {}
if limit <= 0 then return out end
for _, id in ipairs(redis.call('ZREVRANGE', T .. 'calls', 0, -1)) do
  local c = redis.call('HMGET', T .. 'call:' .. id, 'json', 'staff')
  if c[1] and (staff == '' or c[2] == staff) then
    out[#out + 1] = c[1]
    if #out >= limit then break end
  end
end
return out
