-- ChatStore.delete. KEYS[1] the broadcast's message list (RedisKeys.chat). ARGV[2] the broadcast id,
-- ARGV[3] the number n of message m-n.
-- Returns 1 when the message was kept (and is removed now), else 0. Every entry starts with its id, as
-- chat_append.lua wrote it, and the list holds at most ChatStore.KEPT entries.
local list = KEYS[1]
local prefix = '{"messageId":"m-' .. ARGV[3] .. '",'
for _, entry in ipairs(redis.call('LRANGE', list, 0, -1)) do
  if string.sub(entry, 1, #prefix) == prefix then
    redis.call('LREM', list, 1, entry)
    return 1
  end
end
return 0
