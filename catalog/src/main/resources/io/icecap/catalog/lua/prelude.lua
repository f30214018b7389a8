-- Shared by every catalog script. A key of the wrong type is reported, never overwritten.
local function wrong_type(key, expected)
  local actual = redis.call('TYPE', key)['ok']
  if actual ~= 'none' and actual ~= expected then
    return {'WRONGTYPE', key, actual, expected}
  end
  return nil
end

local function check_types(pairs)
  for i = 1, #pairs, 2 do
    local bad = wrong_type(pairs[i], pairs[i + 1])
    if bad then return bad end
  end
  return nil
end
