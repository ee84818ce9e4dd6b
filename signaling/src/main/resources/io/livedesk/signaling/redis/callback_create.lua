-- CallbackStore.create. KEYS[1] the request's hash. ARGV: tag, id, customer, created (epoch ms), then the
-- hash's other fields as name/value pairs. One active (open or taken) request per customer: when they have one,
-- nothing is written and its id is returned; otherwise false.
local id, customer = ARGV[2], ARGV[3]
local of = T .. 'cbof:' .. customer
local existing = redis.call('GET', of)
if existing and redis.call('EXISTS', T .. 'cb:' .. existing) == 1 then return existing end
local fields = {'id', id, 'customer', customer, 'created', ARGV[4], 'state', 'open', 'staff', ''}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('ZADD', T .. 'cbopen', ARGV[4], id)
redis.call('SET', of, id)
return false
