-- SessionStore.unbind. ARGV: tag, subject, node, connection, now.
-- Only if the subject is still bound to exactly this connection: the binding becomes a disconnect mark.
local subject, node, conn, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local key = T .. 'session:' .. subject
local cur = redis.call('HMGET', key, 'node', 'conn')
if cur[1] ~= node or cur[2] ~= conn then return 0 end
disconnect_subject(subject, node, now)
return 1
