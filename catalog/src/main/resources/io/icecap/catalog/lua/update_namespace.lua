-- KEYS[1] namespaces zset, KEYS[2] namespace properties hash
-- ARGV[1] encoded namespace, ARGV[2] 'set' or 'remove', ARGV[3..] for 'set' names and values,
-- for 'remove' names
local bad = check_types({KEYS[1], 'zset', KEYS[2], 'hash'})
if bad then return bad end
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return {'NO_NAMESPACE'}
end
if #ARGV < 3 then
  return {'OK', 0}
end
if ARGV[2] == 'set' then
  redis.call('HSET', KEYS[2], unpack(ARGV, 3))
  return {'OK', (#ARGV - 2) / 2}
end
return {'OK', redis.call('HDEL', KEYS[2], unpack(ARGV, 3))}
