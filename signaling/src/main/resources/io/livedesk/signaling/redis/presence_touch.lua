-- PresenceStore.touch. ARGV: tag, id, now. Never creates a member.
if redis.call('EXISTS', staff_key(ARGV[2])) == 1 then
  redis.call('HSET', staff_key(ARGV[2]), 'lastActivity', ARGV[3])
end
return 0
