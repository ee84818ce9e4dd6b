-- ChatStore.append. KEYS[1] the broadcast's message list (RedisKeys.chat). ARGV[2] the broadcast id,
-- ARGV[3] the message as a JSON object without "messageId", ARGV[4] the most messages kept.
-- Numbers, stores and trims in one step, so that two nodes appending at once never share a number.
-- Returns the number n given (the message's id is m-n).
local list = KEYS[1]
local n = redis.call('INCR', T .. 'chatseq:' .. ARGV[2])
-- The stored entry is the given object with "messageId" spliced in first: '{"messageId":"m-7",' .. rest
-- after '{'. chat_delete.lua finds a message by this prefix.
redis.call('RPUSH', list, '{"messageId":"m-' .. n .. '",' .. string.sub(ARGV[3], 2))
redis.call('LTRIM', list, -tonumber(ARGV[4]), -1)
return n
