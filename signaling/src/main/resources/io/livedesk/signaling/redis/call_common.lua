-- Shared by the scripts that write call records (appended after common.lua).

local function call_key(id) return T .. 'call:' .. id end

-- Points the live-call and last-call indexes of the call's parties ('' for none) at it.
local function index_live(id, customer, staff)
  for _, subject in ipairs({ customer, staff }) do
    if subject ~= '' then
      redis.call('SET', T .. 'livecall:' .. subject, id)
      redis.call('SET', T .. 'lastcall:' .. subject, id)
    end
  end
end

-- CallStore.create: id, state, json, customer, staff ('' if none), enqueuedAt, live ('1' if the state is
-- CONNECTING or ACTIVE), how many calls `recent` keeps, revision. Returns 0 if the id exists. Calls that
-- fall out of the recent index are deleted once ENDED.
local function create_call(id, state, json, customer, staff, enqueued_at, live, keep, revision)
  local key = call_key(id)
  local recent = T .. 'calls'
  if redis.call('EXISTS', key) == 1 then return 0 end
  redis.call('HSET', key, 'state', state, 'json', json, 'customer', customer, 'staff', staff, 'rev', revision)
  if live == '1' then index_live(id, customer, staff) end
  redis.call('ZADD', recent, enqueued_at, id)
  local excess = redis.call('ZCARD', recent) - tonumber(keep)
  if excess > 0 then
    for _, old in ipairs(redis.call('ZRANGE', recent, 0, excess - 1)) do
      if redis.call('HGET', call_key(old), 'state') == 'ENDED' then
        redis.call('DEL', call_key(old))
      end
    end
    redis.call('ZREMRANGEBYRANK', recent, 0, excess - 1)
  end
  return 1
end

-- CallStore.compareAndSet: id, expected state, expected is live ('1'/'0'), new state, new json, new
-- customer, new staff ('' if none), new is live ('1'/'0'), expected revision, new revision.
-- Moves the live-call index from the old parties to the new ones. Returns 1 if it replaced the record.
local function call_compare_and_set(id, old_state, old_live, state, json, customer, staff, live, old_rev, rev)
  local key = call_key(id)
  local old = redis.call('HMGET', key, 'state', 'customer', 'staff', 'rev')
  -- A record stored before revisions existed counts as revision 0.
  if old[1] ~= old_state or (old[4] or '0') ~= old_rev then return 0 end
  if old_live == '1' then
    for _, subject in ipairs({ old[2], old[3] }) do
      local index = T .. 'livecall:' .. subject
      if subject ~= '' and redis.call('GET', index) == id then redis.call('DEL', index) end
    end
  end
  redis.call('HSET', key, 'state', state, 'json', json, 'customer', customer, 'staff', staff, 'rev', rev)
  if live == '1' then index_live(id, customer, staff) end
  return 1
end
