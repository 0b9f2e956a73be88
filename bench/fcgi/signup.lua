-- wrk: POST /signup with a new address each time (thread id + counter),
-- as a form, from the site's own origin.  BODY_EXTRA (e.g. the Django
-- CSRF token) and COOKIE come from the environment.
local counter = 0
local threads = 0
tid = 0 -- set per thread by setup()
local extra = os.getenv("BODY_EXTRA") or ""
local cookie = os.getenv("COOKIE") or ""
local origin = os.getenv("ORIGIN") or ""
local target = os.getenv("TARGET") or "/signup"

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  math.randomseed(os.time() + tid * 7919)
end

function request()
  counter = counter + 1
  local body = string.format("email=b%d.%d.%d%%40example.org&referrer=bench%s",
                             tid, counter, math.random(1, 1000000000), extra)
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = origin,
  }
  if cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("POST", target, headers, body)
end
