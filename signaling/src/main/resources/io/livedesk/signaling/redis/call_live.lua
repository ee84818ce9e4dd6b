-- CallStore.liveCallOf and lastCallOf (read only). ARGV: tag, subject, index ('livecall' or 'lastcall').
-- The JSON of the call the index names for the subject, or nil (none, or its record no longer kept).
local id = redis.call('GET', T .. ARGV[3] .. ':' .. ARGV[2])
if not id then return false end
return redis.call('HGET', T .. 'call:' .. id, 'json')
