-- PresenceStore.list: every member's hash, as one consistent snapshot. ARGV: tag.
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', STAFF_IDS)) do
  local flat = redis.call('HGETALL', staff_key(id))
  if #flat > 0 then
    flat[#flat + 1] = 'id'
    flat[#flat + 1] = id
    out[#out + 1] = flat
  end
end
return out
