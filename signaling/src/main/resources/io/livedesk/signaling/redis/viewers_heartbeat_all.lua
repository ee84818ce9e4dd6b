-- ViewerPresenceStore.heartbeatAll. ARGV: tag, broadcast, now, then the viewers (a bounded batch).
-- Each viewer as in viewers_heartbeat.lua: seen now if present, never moved back.
-- Returns the viewers not present, in the order given; they are not added.
local now = ARGV[3]
local absent = {}
for i = 4, #ARGV do
  local viewer = ARGV[i]
  local last = redis.call('ZSCORE', SEEN, viewer)
  if last then
    see(viewer, now, last)
  else
    absent[#absent + 1] = viewer
  end
end
return absent
