-- BroadcastStore.notePeak and noteUnique. KEYS[1] the broadcast's hash. ARGV: tag, counter field, value.
-- Sets the field to the value if that is higher, so reports from several nodes in any order keep the
-- highest. Returns 0 when there is no such broadcast.
local key, field, value = KEYS[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', key) == 0 then return 0 end
if tonumber(value) > tonumber(redis.call('HGET', key, field) or '0') then
  redis.call('HSET', key, field, value)
end
return 1
