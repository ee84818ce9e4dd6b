-- ViewerPresenceStore.leave. ARGV: tag, broadcast, viewer, now.
-- Returns 1, or 0 when the viewer was not present.
local viewer, now = ARGV[3], tonumber(ARGV[4])
if not redis.call('ZSCORE', SEEN, viewer) then
  return 0
end
drop_viewer(viewer, now)
return 1
