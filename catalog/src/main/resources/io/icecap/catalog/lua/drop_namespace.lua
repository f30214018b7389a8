-- KEYS[1] namespaces zset, KEYS[2] namespace properties hash, KEYS[3] namespace tables set
-- ARGV[1] encoded namespace
local bad = check_types({KEYS[1], 'zset', KEYS[2], 'hash', KEYS[3], 'set'})
if bad then return bad end
local denied = acl_denied({{'ZREM', KEYS[1], ARGV[1]}, {'DEL', KEYS[2], KEYS[3]}})
if denied then return denied end
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return {'NO_NAMESPACE'}
end
local tables = redis.call('SCARD', KEYS[3])
if tables > 0 then
  return {'NOT_EMPTY', 'tables', tables}
end
local children = redis.call('ZRANGEBYLEX', KEYS[1], '[' .. ARGV[1] .. '.', '(' .. ARGV[1] .. '/',
  'LIMIT', 0, 1)
if #children > 0 then
  return {'NOT_EMPTY', 'namespaces', children[1]}
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
return {'OK'}
