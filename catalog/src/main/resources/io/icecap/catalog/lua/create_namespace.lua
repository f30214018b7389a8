-- KEYS[1] namespaces zset, KEYS[2] namespace properties hash
-- ARGV[1] encoded namespace, ARGV[2] encoded parent ('' for a top-level namespace),
-- ARGV[3..] property names and values
local bad = check_types({KEYS[1], 'zset', KEYS[2], 'hash'})
if bad then return bad end
local denied = acl_denied({{'ZADD', KEYS[1], '0', ARGV[1]}, {'DEL', KEYS[2]},
  {'HSET', KEYS[2], 'p', 'v'}})
if denied then return denied end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return {'EXISTS'}
end
-- names that differ only in ASCII case are one name to DuckDB (escapes are upper-case hex
-- throughout, so folded encodings are equal exactly when the names fold to one)
local folded = string.lower(ARGV[1])
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if member ~= ARGV[1] and string.lower(member) == folded then
    return {'CASE_CONFLICT', member}
  end
end
if ARGV[2] ~= '' and not redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  return {'NO_PARENT'}
end
redis.call('ZADD', KEYS[1], 0, ARGV[1])
redis.call('DEL', KEYS[2])
if #ARGV > 2 then
  redis.call('HSET', KEYS[2], unpack(ARGV, 3))
end
return {'OK'}
