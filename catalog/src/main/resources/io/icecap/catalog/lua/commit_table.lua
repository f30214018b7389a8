-- KEYS[1] table meta hash
-- ARGV[1] expected (base) metadata location, ARGV[2] new metadata location
local bad = wrong_type(KEYS[1], 'hash')
if bad then return bad end
local current = redis.call('HGET', KEYS[1], 'metadata_location')
if not current then
  return {'NO_TABLE'}
end
if current == ARGV[2] then
  -- this very commit was applied already (a resent request)
  return {'OK'}
end
if current ~= ARGV[1] then
  return {'CONFLICT', current}
end
redis.call('HSET', KEYS[1], 'metadata_location', ARGV[2], 'previous_metadata_location', ARGV[1])
return {'OK'}
