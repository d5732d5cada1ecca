-- wrk: a mixed load, nine reads (a person, a path, a search) to one write
-- (an interaction logged), all authenticated.
local token = os.getenv("TOKEN")
local n = 0
request = function()
  n = n + 1
  local h = { ["Authorization"] = "Bearer " .. token }
  local k = n % 10
  if k == 0 then
    h["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v1/interactions", h,
      '{"kind": "message", "people": ["me", "12"], "notes": "mixed"}')
  elseif k < 4 then
    return wrk.format("GET", "/api/v1/people/" .. (2 + n % 250), h)
  elseif k < 7 then
    return wrk.format("GET", "/api/v1/path?to=" .. (2 + n % 250), h)
  else
    return wrk.format("GET", "/api/v1/search?q=" .. string.char(97 + n % 26), h)
  end
end
