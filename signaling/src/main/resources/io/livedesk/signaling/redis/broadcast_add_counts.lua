-- BroadcastStore.addCounts. KEYS[1] the broadcast's hash. ARGV: tag, then counter field/delta pairs.
-- Returns 0, adding nothing, when there is no such broadcast (HINCRBY alone would make a hash without a
-- record).
local key = KEYS[1]
if redis.call('EXISTS', key) == 0 then return 0 end
for i = 2, #ARGV, 2 do
  if ARGV[i + 1] ~= '0' then redis.call('HINCRBY', key, ARGV[i], ARGV[i + 1]) end
end
return 1
