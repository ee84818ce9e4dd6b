-- RoutingStore.matchStaff. ARGV: tag, staff id, now, expiresAt.
-- Across the queues of every (skill, language) of the member, the first request they are not excluded
-- from, at most SCAN_LIMIT walked per queue; the best of those by rank, then queue member (enqueue time,
-- then id). Returns the request id offered, or nil.
local now, expires_at = ARGV[3], ARGV[4]
local staff = load_staff(ARGV[2])
if not offerable(staff) then return false end
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
if best_id == nil then return false end
offer(hgetall(req_key(best_id)), staff, now, expires_at)
return best_id
