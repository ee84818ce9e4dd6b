-- Shared by the scripts that offer (appended after common.lua): turns a WAITING request into an offer
-- to one member, raising their load, and finds the best match for a request or for a member.

-- Where the request id starts in a queue member: 16-digit enqueue time, ':', id (see RedisRoutingStore).
local QUEUE_MEMBER_ID_OFFSET = 18

-- Offers r (the request's hash as a table) to staff (as loaded). Returns the member as now stored and
-- whether this is the request's first offer (the request->offer latency is measured on that one).
-- A fresh request (new_request in routing_queue.lua, not stored yet) is stored with its offer, once, and was
-- never in its queue.
local function offer(r, staff, now, expires_at, fresh)
  local first = r.firstOfferedAt == nil or r.firstOfferedAt == ''
  if queued(r) then
    if not fresh then
      redis.call('ZREM', queue_key(r.topic, r.language), r.member)
      redis.call('ZREM', waiting_key(r.topic), r.id)
    end
    redis.call('SADD', offered_key(r.topic), r.id)
  end
  local fields = { state = 'OFFERED', staff = staff.id, offeredAt = now, expiresAt = expires_at }
  if first then fields.firstOfferedAt = now end
  if fresh then
    for k, v in pairs(fields) do r[k] = v end
    store_request(r)
  else
    redis.call('HSET', req_key(r.id), unpack(hash_reply(fields)))
  end
  redis.call('ZADD', OFFERS, expires_at, r.id)
  redis.call('SADD', staff_offers_key(staff.id), r.id)
  return update_staff(staff.id, staff, { load = tostring(tonumber(staff.load) + 1) }), first
end

-- Whether the member declined or missed this request less than the re-offer delay ago.
local function excluded(request_id, staff_id, now)
  local untilMs = redis.call('HGET', excl_key(request_id), staff_id)
  return untilMs and tonumber(now) < tonumber(untilMs)
end

-- RoutingStore.matchRequest on r (the request's hash as a table, or nil): walks the availability set of its
-- (topic, language), least loaded first, then longest idle (ties by id, as the sorted set orders equal
-- scores), at most SCAN_LIMIT members, skipping excluded ones, and offers it to the first. With fresh (a
-- request new_request made, not stored yet: no one is excluded from it) it is stored with the offer.
-- Returns the member as now stored and whether it was the first offer, or nil.
local function match_request(r, now, expires_at, fresh)
  if r == nil or r.state ~= 'WAITING' or not queued(r) then return nil end
  for _, staff_id in ipairs(redis.call('ZRANGE', avail_key(r.topic, r.language), 0, SCAN_LIMIT - 1)) do
    local staff = load_staff(staff_id)
    -- The set holds exactly the offerable members; checking again costs little and guards the invariant.
    if offerable(staff) and (fresh or not excluded(r.id, staff_id, now)) then
      return offer(r, staff, now, expires_at, fresh)
    end
  end
  return nil
end

-- RoutingStore.matchStaff for staff (as loaded, or nil): across the queues of every (skill, language) of the
-- member, the first request they are not excluded from, at most SCAN_LIMIT walked per queue; the best of
-- those by rank, then queue member (enqueue time, then id), offered to them. Returns the request (its hash
-- as a table, as it was before the offer), the member as now stored and whether it was the first offer;
-- or nil.
local function match_staff(staff, now, expires_at)
  if not offerable(staff) then return nil end
  local best_id, best_score, best_member
  for _, topic in ipairs(staff.skill_list) do
    for _, lang in ipairs(staff.language_list) do
      local entries = redis.call('ZRANGE', queue_key(topic, lang), 0, SCAN_LIMIT - 1, 'WITHSCORES')
      for i = 1, #entries, 2 do
        local member, score = entries[i], tonumber(entries[i + 1])
        local request_id = string.sub(member, QUEUE_MEMBER_ID_OFFSET)
        if not excluded(request_id, staff.id, now) then
          if best_id == nil or score < best_score or (score == best_score and bytes_less(member, best_member)) then
            best_id, best_score, best_member = request_id, score, member
          end
          break
        end
      end
    end
  end
  if best_id == nil then return nil end
  local r = hgetall(req_key(best_id))
  local after, first = offer(r, staff, now, expires_at)
  return r, after, first
end
