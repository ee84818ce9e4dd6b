-- CallStore.create. ARGV: tag, call id, state, json, customer, staff ('' if none), enqueuedAt,
-- live ('1' if the state is CONNECTING or ACTIVE), how many calls `recent` keeps, revision.
-- Returns 0 if the id exists. Calls that fall out of the recent index are deleted once ENDED.
local id, state, json, customer, staff = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local key = T .. 'call:' .. id
local recent = T .. 'calls'
if redis.call('EXISTS', key) == 1 then return 0 end
redis.call('HSET', key, 'state', state, 'json', json, 'customer', customer, 'staff', staff, 'rev', ARGV[10])
if ARGV[8] == '1' then
  for _, subject in ipairs({ customer, staff }) do
    if subject ~= '' then
      redis.call('SET', T .. 'livecall:' .. subject, id)
      redis.call('SET', T .. 'lastcall:' .. subject, id)
    end
  end
end
redis.call('ZADD', recent, ARGV[7], id)
local excess = redis.call('ZCARD', recent) - tonumber(ARGV[9])
if excess > 0 then
  for _, old in ipairs(redis.call('ZRANGE', recent, 0, excess - 1)) do
    if redis.call('HGET', T .. 'call:' .. old, 'state') == 'ENDED' then
      redis.call('DEL', T .. 'call:' .. old)
    end
  end
  redis.call('ZREMRANGEBYRANK', recent, 0, excess - 1)
end
return 1
