-- CallbackStore.take and close. KEYS[1] the request's hash. ARGV: tag, id, expected state, expected staff ('' for
-- none), new state, new staff, taken at, outcome, outcome note, closed at, retention (s) once closed.
-- Moves the id between the open set and the staff member's taken set; a closed request frees its customer and
-- expires after the retention. Returns 1 if it changed the request, 0 if it was not as expected.
local key, id = KEYS[1], ARGV[2]
local old = redis.call('HMGET', key, 'state', 'staff', 'customer')
if old[1] ~= ARGV[3] or old[2] ~= ARGV[4] then return 0 end
local state, staff = ARGV[5], ARGV[6]
redis.call('HSET', key, 'state', state, 'staff', staff, 'taken', ARGV[7], 'outcome', ARGV[8], 'onote', ARGV[9],
    'closed', ARGV[10])
if old[1] == 'open' then redis.call('ZREM', T .. 'cbopen', id) end
if old[1] == 'taken' then redis.call('ZREM', T .. 'cbtaken:' .. old[2], id) end
if state == 'taken' then redis.call('ZADD', T .. 'cbtaken:' .. staff, ARGV[7], id) end
if state == 'closed' then
  local of = T .. 'cbof:' .. old[3]
  if redis.call('GET', of) == id then redis.call('DEL', of) end
  redis.call('EXPIRE', key, ARGV[11])
end
return 1
