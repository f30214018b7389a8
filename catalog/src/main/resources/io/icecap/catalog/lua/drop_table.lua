-- KEYS[1] table meta hash, KEYS[2] namespace tables set, KEYS[3..] the table's other keys
-- ARGV[1] table name
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'set'})
if bad then return bad end
local writes = {{'SREM', KEYS[2], ARGV[1]}}
for i = 1, #KEYS do
  if i ~= 2 then table.insert(writes, {'DEL', KEYS[i]}) end
end
local denied = acl_denied(writes)
if denied then return denied end
local current = redis.call('HGET', KEYS[1], 'metadata_location')
if not current then
  return {'NO_TABLE'}
end
redis.call('DEL', KEYS[1])
for i = 3, #KEYS do
  redis.call('DEL', KEYS[i])
end
redis.call('SREM', KEYS[2], ARGV[1])
return {'OK', current}
