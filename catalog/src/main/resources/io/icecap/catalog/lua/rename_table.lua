-- KEYS[1] source meta hash, KEYS[2] target meta hash, KEYS[3] namespaces zset,
-- KEYS[4] source namespace tables set, KEYS[5] target namespace tables set,
-- KEYS[6..] pairs of (source key, target key) of the table's other keys
-- ARGV[1] target encoded namespace, ARGV[2] source table name, ARGV[3] target table name
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'hash', KEYS[3], 'zset', KEYS[4], 'set',
  KEYS[5], 'set'})
if bad then return bad end
local writes = {{'RENAME', KEYS[1], KEYS[2]}, {'HSET', KEYS[2], 'name', ARGV[3]},
  {'SREM', KEYS[4], ARGV[2]}, {'SADD', KEYS[5], ARGV[3]}}
for i = 6, #KEYS, 2 do
  table.insert(writes, {'DEL', KEYS[i + 1]})
  table.insert(writes, {'RENAME', KEYS[i], KEYS[i + 1]})
end
local denied = acl_denied(writes)
if denied then return denied end
local current = redis.call('HGET', KEYS[1], 'metadata_location')
if not current then
  return {'NO_TABLE'}
end
if not redis.call('ZSCORE', KEYS[3], ARGV[1]) then
  return {'NO_NAMESPACE'}
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {'EXISTS'}
end
-- names that differ only in ASCII case are one name to DuckDB; a table may change its own case
local folded = string.lower(ARGV[3])
for _, name in ipairs(redis.call('SMEMBERS', KEYS[5])) do
  if name ~= ARGV[3] and string.lower(name) == folded
      and not (KEYS[4] == KEYS[5] and name == ARGV[2]) then
    return {'CASE_CONFLICT', name}
  end
end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[2], 'namespace', ARGV[1], 'name', ARGV[3])
for i = 6, #KEYS, 2 do
  redis.call('DEL', KEYS[i + 1])
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('RENAME', KEYS[i], KEYS[i + 1])
  end
end
redis.call('SREM', KEYS[4], ARGV[2])
redis.call('SADD', KEYS[5], ARGV[3])
return {'OK'}
