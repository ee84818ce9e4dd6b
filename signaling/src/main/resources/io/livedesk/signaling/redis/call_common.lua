-- Shared by the scripts that write call records (appended after common.lua).

local function call_key(id) return T .. 'call:' .. id end

-- Points a party's live-call and last-call indexes at the call (no party: '').
local function index_party(id, subject)
  if subject ~= '' then
    redis.call('SET', T .. 'livecall:' .. subject, id)
    redis.call('SET', T .. 'lastcall:' .. subject, id)
  end
end

-- How many calls a person's history keeps (CallStore.HISTORY_LIMIT).
local HISTORY_LIMIT = 50

-- Adds the call, created at `at`, to a person's history, keeping their newest HISTORY_LIMIT.
local function index_history(id, subject, at)
  local key = T .. 'history:' .. subject
  redis.call('ZADD', key, at, id)
  redis.call('ZREMRANGEBYRANK', key, 0, -HISTORY_LIMIT - 1)
end

-- Points the live-call and last-call indexes of the call's parties ('' for none) at it.
local function index_live(id, customer, staff)
  index_party(id, customer)
  index_party(id, staff)
end

-- The recent index is trimmed once it holds this many calls more than it keeps, all of them at once.
local RECENT_TRIM_BATCH = 100

-- CallStore.create: id, state, json, customer, staff ('' if none), enqueuedAt, live ('1' if the state is
-- CONNECTING or ACTIVE), how many calls `recent` keeps, revision, whether the customer is identified ('1':
-- the call goes in their history). Returns 0 if the id exists. Calls that
-- fall out of the recent index (trimmed in batches: it may hold up to RECENT_TRIM_BATCH more) are deleted
-- once ENDED.
local function create_call(id, state, json, customer, staff, enqueued_at, live, keep, revision, identified)
  local key = call_key(id)
  local recent = T .. 'calls'
  if redis.call('EXISTS', key) == 1 then return 0 end
  redis.call('HSET', key, 'state', state, 'json', json, 'customer', customer, 'staff', staff, 'rev', revision,
    'at', enqueued_at)
  if identified == '1' then index_history(id, customer, enqueued_at) end
  if live == '1' then
    index_live(id, customer, staff)
    redis.call('ZADD', T .. 'live', enqueued_at, id)
    if staff ~= '' then index_history(id, staff, enqueued_at) end
  end
  redis.call('ZADD', recent, enqueued_at, id)
  local excess = redis.call('ZCARD', recent) - tonumber(keep)
  if excess >= RECENT_TRIM_BATCH then
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
-- Moves the live-call index from the old parties to the new ones; a party of a call that stays live keeps
-- its entries as they are; the live index ({T}live) follows the state. A staff member who becomes a live
-- party gets the call in their history.
-- Returns 1 if it replaced the record.
local function call_compare_and_set(id, old_state, old_live, state, json, customer, staff, live, old_rev, rev)
  local key = call_key(id)
  local old = redis.call('HMGET', key, 'state', 'customer', 'staff', 'rev', 'at')
  -- A record stored before revisions existed counts as revision 0.
  if old[1] ~= old_state or (old[4] or '0') ~= old_rev then return 0 end
  local was_live, is_live = old_live == '1', live == '1'
  if was_live then
    for _, subject in ipairs({ old[2], old[3] }) do
      local stays = is_live and (subject == customer or subject == staff)
      local index = T .. 'livecall:' .. subject
      if subject ~= '' and not stays and redis.call('GET', index) == id then redis.call('DEL', index) end
    end
  end
  redis.call('HSET', key, 'state', state, 'json', json, 'customer', customer, 'staff', staff, 'rev', rev)
  if was_live and not is_live then redis.call('ZREM', T .. 'live', id) end
  local at = old[5] or '0' -- when the call was created: the score of its index entries
  if is_live and not was_live then redis.call('ZADD', T .. 'live', at, id) end
  if is_live then
    for _, subject in ipairs({ customer, staff }) do
      if not was_live or (subject ~= old[2] and subject ~= old[3]) then index_party(id, subject) end
    end
    if staff ~= '' and (not was_live or staff ~= old[3]) then
      index_history(id, staff, at)
    end
  end
  return 1
end
