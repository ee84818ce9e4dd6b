-- CallStore.liveCallOf (read only). ARGV: tag, subject. The JSON of the subject's live call, or nil.
local id = redis.call('GET', T .. 'livecall:' .. ARGV[2])
if not id then return false end
return redis.call('HGET', T .. 'call:' .. id, 'json')
