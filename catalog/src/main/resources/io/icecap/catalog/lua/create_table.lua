-- KEYS[1] table meta hash, KEYS[2] namespaces zset, KEYS[3] namespace tables set
-- ARGV[1] encoded namespace, ARGV[2] table name, ARGV[3] new metadata location
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'zset', KEYS[3], 'set'})
if bad then return bad end
local denied = acl_denied({{'HSET', KEYS[1], 'name', ARGV[2]}, {'SADD', KEYS[3], ARGV[2]}})
if denied then return denied end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  return {'NO_NAMESPACE'}
end
local current = redis.call('HGET', KEYS[1], 'metadata_location')
if current then
  if current == ARGV[3] then
    -- this very create was applied already (a resent request)
    return {'OK'}
  end
  return {'EXISTS', current}
end
-- names that differ only in ASCII case are one name to DuckDB: refuse the second
local folded = string.lower(ARGV[2])
for _, name in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if name ~= ARGV[2] and string.lower(name) == folded then
    return {'CASE_CONFLICT', name}
  end
end
redis.call('HSET', KEYS[1], 'metadata_location', ARGV[3], 'namespace', ARGV[1], 'name', ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
return {'OK'}
