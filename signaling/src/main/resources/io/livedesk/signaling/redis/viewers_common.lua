-- Shared by the viewer presence scripts. KEYS[1] of each is the broadcast's heartbeat set
-- (RedisKeys.viewersSeen) and ARGV[2] the broadcast id; the other keys mirror RedisKeys' livestream
-- viewers section.
local SEEN = KEYS[1]
local B = ARGV[2]
local JOINS = T .. 'viewerjoins:' .. B
local NAMES = T .. 'viewernames:' .. B
local EVER = T .. 'viewersever:' .. B
local BANS = T .. 'viewerbans:' .. B
local WATCH = T .. 'viewerwatch:' .. B

-- Marks a present viewer seen at now; never moves a heartbeat back (nodes' clocks differ a little).
local function see(viewer, now, last)
  if tonumber(now) > tonumber(last) then
    redis.call('ZADD', SEEN, now, viewer)
  end
end

-- Removes a present viewer, adding the time from their join until until_ms to the watch time.
local function drop_viewer(viewer, until_ms)
  local joined = tonumber(redis.call('ZSCORE', JOINS, viewer))
  redis.call('ZREM', SEEN, viewer)
  redis.call('ZREM', JOINS, viewer)
  redis.call('HDEL', NAMES, viewer)
  if joined and until_ms > joined then
    redis.call('INCRBY', WATCH, until_ms - joined)
  end
end
