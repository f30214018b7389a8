-- KEYS[1] namespaces zset, KEYS[2] namespace properties hash
-- ARGV[1] encoded namespace
local bad = check_types({KEYS[1], 'zset', KEYS[2], 'hash'})
if bad then return bad end
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return {'NO_NAMESPACE'}
end
return {'OK', redis.call('HGETALL', KEYS[2])}
