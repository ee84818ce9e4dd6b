-- CallStore.compareAndSet. ARGV: tag, call id, expected state, expected is live ('1'/'0'), new state,
-- new json, new customer, new staff ('' if none), new is live ('1'/'0'), expected revision, new revision.
-- Moves the live-call index from the old parties to the new ones. Returns 1 if it replaced the record.
local id = ARGV[2]
local key = T .. 'call:' .. id
local old = redis.call('HMGET', key, 'state', 'customer', 'staff', 'rev')
-- A record stored before revisions existed counts as revision 0.
if old[1] ~= ARGV[3] or (old[4] or '0') ~= ARGV[10] then return 0 end
if ARGV[4] == '1' then
  for _, subject in ipairs({ old[2], old[3] }) do
    local index = T .. 'livecall:' .. subject
    if subject ~= '' and redis.call('GET', index) == id then redis.call('DEL', index) end
  end
end
redis.call('HSET', key, 'state', ARGV[5], 'json', ARGV[6], 'customer', ARGV[7], 'staff', ARGV[8], 'rev', ARGV[11])
if ARGV[9] == '1' then
  for _, subject in ipairs({ ARGV[7], ARGV[8] }) do
    if subject ~= '' then
      redis.call('SET', T .. 'livecall:' .. subject, id)
      redis.call('SET', T .. 'lastcall:' .. subject, id)
    end
  end
end
return 1
