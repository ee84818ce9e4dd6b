-- DayStatsStore.add. ARGV: tag, the day (yyyy-mm-dd), retention in seconds, then counter key and increment
-- pairs. Raises each counter of the day's hash and keeps the hash for the retention after this change.
local key = T .. 'daystats:' .. ARGV[2]
for i = 4, #ARGV, 2 do
  redis.call('HINCRBY', key, ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', key, ARGV[3])
return 1
