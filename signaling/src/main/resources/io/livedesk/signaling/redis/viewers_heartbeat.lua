-- ViewerPresenceStore.heartbeat. ARGV: tag, broadcast, viewer, now.
-- Returns 1, or 0 when the viewer is not present (a script, so that an expiry between the check and
-- the write cannot leave a heartbeat without its join).
local viewer, now = ARGV[3], ARGV[4]
local last = redis.call('ZSCORE', SEEN, viewer)
if not last then
  return 0
end
see(viewer, now, last)
return 1
