-- WatchHistory.watched. ARGV: tag, viewer, broadcast id, when (epoch ms), how many to keep.
-- Watching a broadcast again moves it to the front; only the newest are kept.
local key = T .. 'watched:' .. ARGV[2]
redis.call('ZADD', key, ARGV[4], ARGV[3])
redis.call('ZREMRANGEBYRANK', key, 0, -tonumber(ARGV[5]) - 1)
return 1
