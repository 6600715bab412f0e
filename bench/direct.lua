-- wrk script: the demo backend's two resources of product 1, alternately, as a client calling the
-- backend itself would (bench/bff.py and scenario 6 of bench/peers.py: the reference beside a BFF route
-- that makes both calls for every request it answers).
local paths = {"/products/1", "/inventory/1"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % 2) + 1])
end
