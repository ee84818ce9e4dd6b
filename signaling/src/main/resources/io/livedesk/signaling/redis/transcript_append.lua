-- Appends a line to a call's transcript with the call's next sequence number, keeps the newest lines
-- and (re)starts the retention of both keys.
-- KEYS[1] the transcript list (RedisKeys.transcript). ARGV[2] the call id, ARGV[3] the line as a JSON
-- object without "seq", ARGV[4] the most lines kept, ARGV[5] the retention in milliseconds.
-- Returns the sequence number given.
local list = KEYS[1]
local seq_key = T .. 'transcriptseq:' .. ARGV[2]
local seq = redis.call('INCR', seq_key)
-- The stored line is the given object with "seq" spliced in first: '{"seq":7,' .. rest after '{'.
local line = '{"seq":' .. seq .. ',' .. string.sub(ARGV[3], 2)
redis.call('RPUSH', list, line)
redis.call('LTRIM', list, -tonumber(ARGV[4]), -1)
redis.call('PEXPIRE', list, ARGV[5])
redis.call('PEXPIRE', seq_key, ARGV[5])
return seq
