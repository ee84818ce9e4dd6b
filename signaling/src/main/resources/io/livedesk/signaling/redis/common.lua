-- Shared by every LiveDesk script (LuaScript puts it in front of each one).
-- Convention: ARGV[1] is the tag of the script's keys, e.g. "{ld}:" (the viewer and chat scripts get their
-- broadcast's, the transcript script its call's: see RedisKeys); a script's own arguments start at ARGV[2].
-- Key patterns mirror io.livedesk.signaling.redis.RedisKeys.
local T = ARGV[1]

-- At most this many entries of a sorted set are walked by one match (staff in idle order, or the
-- requests of one queue), so no script runs unbounded. Only members and requests excluded from each
-- other are skipped while walking, so the bound is never reached in practice.
local SCAN_LIMIT = 200

local function staff_key(id) return T .. 'staff:' .. id end
local function avail_key(skill, lang) return T .. 'avail:' .. skill .. ':' .. lang end
local function req_key(id) return T .. 'req:' .. id end
local function excl_key(id) return T .. 'excl:' .. id end
local function queue_key(topic, lang) return T .. 'queue:' .. topic .. ':' .. lang end
local function waiting_key(topic) return T .. 'waiting:' .. topic end
local function offered_key(topic) return T .. 'offered:' .. topic end
local function open_key(customer) return T .. 'open:' .. customer end
local function staff_offers_key(id) return T .. 'staffoffers:' .. id end
local OFFERS = T .. 'offers'
local STAFF_IDS = T .. 'staffids'

-- HGETALL as a table, or nil when the hash does not exist.
local function hgetall(key)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then return nil end
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end

-- Byte-wise a < b (Lua's own < follows the server's collation locale; Redis sorts by bytes).
local function bytes_less(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

-- A staff hash with skills and languages decoded, or nil.
local function load_staff(id)
  local s = hgetall(staff_key(id))
  if s == nil then return nil end
  s.id = id
  s.skill_list = cjson.decode(s.skills)
  s.language_list = cjson.decode(s.languages)
  return s
end

-- Whether routing may offer the member anything at all (skill and language aside).
local function offerable(s)
  return s ~= nil and s.connected == '1' and s.status == 'AVAILABLE'
      and tonumber(s.load) < tonumber(s.capacity)
end

-- A member's place in the availability sets: least loaded first, then longest idle. So offers spread over
-- the members who have room instead of filling the longest-idle one to capacity first. Loads up to 900
-- keep the score exact (below 2^53).
local LOAD_WEIGHT = 1e13
local function offer_order(s) return tonumber(s.load) * LOAD_WEIGHT + tonumber(s.idleSince) end

-- Makes the availability sets agree with the member's hash: removes them from the sets of the profile
-- they had (before, may be nil) and adds them to those of the profile they have (after, may be nil)
-- when offerable. Every script that changes status, connected, load, idleSince or the profile calls it.
-- The sets hold exactly the offerable members, so a member who was not offerable is in none of them, and
-- one who stays offerable with the same skills and languages only needs the new score (ZADD updates it).
local function sync_availability(before, after)
  local same_profile = before ~= nil and after ~= nil
      and before.skills == after.skills and before.languages == after.languages
  if offerable(before) and not (same_profile and offerable(after)) then
    for _, skill in ipairs(before.skill_list) do
      for _, lang in ipairs(before.language_list) do
        redis.call('ZREM', avail_key(skill, lang), before.id)
      end
    end
  end
  if offerable(after) then
    for _, skill in ipairs(after.skill_list) do
      for _, lang in ipairs(after.language_list) do
        redis.call('ZADD', avail_key(skill, lang), offer_order(after), after.id)
      end
    end
  end
end

-- Sets fields of a member (before: the member as loaded, nil for a new one) and keeps the
-- availability sets right. Returns the member as now stored.
local function update_staff(id, before, fields)
  local flat = {}
  for k, v in pairs(fields) do
    flat[#flat + 1] = k
    flat[#flat + 1] = v
  end
  redis.call('HSET', staff_key(id), unpack(flat))
  local after
  if before == nil or fields.skills ~= nil or fields.languages ~= nil then
    after = load_staff(id)
  else
    -- The hash is what was loaded plus these fields: no need to read it again.
    after = {}
    for k, v in pairs(before) do after[k] = v end
    for k, v in pairs(fields) do after[k] = v end
  end
  sync_availability(before, after)
  return after
end

-- A hash as loaded (string fields only; decoded ones such as skill_list left out) as a flat reply.
local function hash_reply(t)
  local flat = {}
  for k, v in pairs(t) do
    if type(v) == 'string' then
      flat[#flat + 1] = k
      flat[#flat + 1] = v
    end
  end
  return flat
end

-- Stores a request (r: its hash as a table, with customerId) whole and marks it as its customer's open request.
local function store_request(r)
  redis.call('HSET', req_key(r.id), unpack(hash_reply(r)))
  redis.call('SET', open_key(r.customerId), r.id)
end

-- Load down by one, never below zero. With idle_at, reaching zero while AVAILABLE starts a new idle
-- period then (a call ended); a released offer keeps the idle period. Returns the member as now stored
-- (nil when unknown).
local function lower_load(staff_id, idle_at)
  local s = load_staff(staff_id)
  if s == nil or tonumber(s.load) <= 0 then return s end
  local load = tonumber(s.load) - 1
  local fields = { load = tostring(load) }
  if idle_at ~= nil and load == 0 and s.status == 'AVAILABLE' then
    fields.idleSince = idle_at
  end
  return update_staff(staff_id, s, fields)
end

-- Whether a request (r: its hash as a table) waits in its topic's queue. A transfer to a named colleague
-- waits in none and counts in no topic's stats: only routing_offer_to reaches it.
local function queued(r) return r.colleague == nil or r.colleague == '' end

-- Removes a request (r: its hash as a table) from routing entirely: queue, offer, indexes, exclusions.
-- An offered request is in no queue (the offer took it out), a waiting one in no offer index.
local function forget_request(r)
  if r.state == 'OFFERED' then
    redis.call('SREM', offered_key(r.topic), r.id)
    redis.call('ZREM', OFFERS, r.id)
    if r.staff ~= nil and r.staff ~= '' then redis.call('SREM', staff_offers_key(r.staff), r.id) end
  else
    redis.call('ZREM', queue_key(r.topic, r.language), r.member)
    redis.call('ZREM', waiting_key(r.topic), r.id)
  end
  redis.call('DEL', req_key(r.id), excl_key(r.id))
  if redis.call('GET', open_key(r.customerId)) == r.id then
    redis.call('DEL', open_key(r.customerId))
  end
end
