-- PresenceStore.connect. ARGV: tag, id, name, skills (JSON array), languages (JSON array), capacity, now.
-- A new member starts AWAY with load 0; a known one keeps status, load and idle period. Returns the hash.
local id = ARGV[2]
local now = ARGV[7]
local fields = {
  name = ARGV[3], skills = ARGV[4], languages = ARGV[5], capacity = ARGV[6],
  connected = '1', lastActivity = now,
}
local before = load_staff(id)
if before == nil then
  fields.status = 'AWAY'
  fields.load = '0'
  fields.idleSince = now
  redis.call('SADD', STAFF_IDS, id)
end
update_staff(id, before, fields)
return redis.call('HGETALL', staff_key(id))
