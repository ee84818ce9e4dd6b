-- ViewerPresenceStore.ban. ARGV: tag, broadcast, viewer, now.
-- Returns 1 when the viewer was present (and is removed now), else 0.
local viewer, now = ARGV[3], tonumber(ARGV[4])
redis.call('SADD', BANS, viewer)
if not redis.call('ZSCORE', SEEN, viewer) then
  return 0
end
drop_viewer(viewer, now)
return 1
