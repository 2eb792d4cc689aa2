#!/usr/bin/env bash
# HTTP load on the ticket API with wrk: creating tickets, then listing 25 per page, filtering and searching over
# a database holding TICKETS tickets (default 100000, topped up with gk:demo-data): "first" = pages 1-10, "list" =
# any page (deep OFFSETs), "filter" = status+queue+priority, "search" = one word. Prints requests per second and
# latency percentiles (p50/p95/p99); results in itests/target/bench/. Not part of the test suite.
#   itests/bench/ticket-load.sh            (run ./goatflow build first; set GOATFLOW_DB_URL/_USER/_PASSWORD for PostgreSQL)
#   TICKETS=20000 DURATION=20s CONNECTIONS=8 itests/bench/ticket-load.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tickets=${TICKETS:-100000}
duration=${DURATION:-30s}
connections=${CONNECTIONS:-8}
out=itests/target/bench
mkdir -p "$out"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; else echo "needs wrk: apt-get install wrk" >&2; exit 1; fi
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
home=$(mktemp -d /tmp/bench-tickets.XXXXXX)
tar xzf "$(ls karaf-dist/target/goatflow-distribution-*.tar.gz | head -n 1)" -C "$home" --strip-components=1
port=$(free_port)
ssh_port=$(free_port)
shell_pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
sed -i "s/^sshPort *=.*/sshPort = $ssh_port/; s/^sshHost *=.*/sshHost = 127.0.0.1/" "$home/etc/org.apache.karaf.shell.cfg"
printf 'bench = %s,_g_:admingroup\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n' "$shell_pw" \
    >>"$home/etc/users.properties"
admin_pw=bench-password-123
GOATFLOW_HTTP_PORT=$port GOATFLOW_ADMIN_PASSWORD=$admin_pw "$home/bin/start"
trap '"$home/bin/stop" >/dev/null 2>&1 || true; sleep 2; rm -rf "$home"' EXIT
base=http://127.0.0.1:$port
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/queues")" = 401 ]; do sleep 0.5; done
token=$(curl -s -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"login\":\"admin\",\"password\":\"$admin_pw\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["data"]["token"])')
# sessions idle for 2 h end; the run is shorter

report=$out/ticket-load-$(date -u +%Y%m%dT%H%M%SZ).txt
lua=$(mktemp /tmp/bench-XXXXXX.lua)
cat >"$lua" <<'LUA'
local pages = tonumber(os.getenv("PAGES") or "1")
local mode = os.getenv("MODE")
local token = os.getenv("TOKEN")
local words = {"printer", "laptop", "vpn", "password", "monitor", "invoice", "backup", "server"}
counter = 0
request = function()
  counter = counter + 1
  local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  if mode == "create" then
    local body = '{"title":"Load test ' .. counter .. '","queue_id":' .. (counter % 4 + 1) ..
      ',"customer_user_id":"load.customer' .. (counter % 100) .. '","article":{"channel":"phone",' ..
      '"body":"Created by the load script, request ' .. counter .. ' printer laptop network"}}'
    return wrk.format("POST", "/api/v1/tickets", headers, body)
  elseif mode == "list" then
    return wrk.format("GET", "/api/v1/tickets?per_page=25&page=" .. math.random(1, pages), headers)
  elseif mode == "first" then
    return wrk.format("GET", "/api/v1/tickets?per_page=25&page=" .. math.random(1, 10), headers)
  elseif mode == "filter" then
    return wrk.format("GET", "/api/v1/tickets?per_page=25&status=open&queue_id=" .. math.random(1, 4) ..
      "&priority_id=" .. math.random(1, 5) .. "&sort=priority&page=" .. math.random(1, 20), headers)
  else
    return wrk.format("GET", "/api/v1/search/tickets?per_page=25&q=" .. words[math.random(1, #words)], headers)
  end
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout
  io.write(string.format("RESULT %-7s requests=%d rps=%.1f p50=%.1fms p95=%.1fms p99=%.1fms max=%.1fms errors=%d\n",
    mode, summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors))
end
LUA

run() { # MODE
    MODE=$1 TOKEN=$token PAGES=${PAGES:-1} wrk -t2 -c"$connections" -d"$duration" --timeout 10s -s "$lua" "$base" | grep RESULT | tee -a "$report"
}
echo "GoatFlow ticket load, $(date -u), $(nproc) cores, database ${GOATFLOW_DB_URL:-embedded H2}, $connections connections, $duration each" | tee "$report"
run create
total=$(curl -s "$base/api/v1/tickets?per_page=1&archived=true" -H "Authorization: Bearer $token" \
    | python3 -c 'import sys,json; print(json.load(sys.stdin)["pagination"]["total"])')
if [ "$total" -lt "$tickets" ]; then
    echo "Topping up from $total to $tickets tickets with gk:demo-data ..." | tee -a "$report"
    # batch mode (-b): commands from stdin; a command given as an argument prints nothing without a terminal
    echo "gk:demo-data --tickets $((tickets - total)) --threads 2" \
        | "$home/bin/client" -a "$ssh_port" -h 127.0.0.1 -u bench -p "$shell_pw" -r 10 -b 2>&1 \
        | grep "Created" | tee -a "$report"
fi
total=$(curl -s "$base/api/v1/tickets?per_page=1" -H "Authorization: Bearer $token" \
    | python3 -c 'import sys,json; print(json.load(sys.stdin)["pagination"]["total"])')
echo "Tickets visible to the admin: $total" | tee -a "$report"
run first
PAGES=$(( total / 25 )) run list
run filter
run search
echo "Report: $report"
