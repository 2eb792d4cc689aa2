#!/usr/bin/env bash
# The same small function (a greeting) called over HTTP as a bundle plugin (hello, the example) and as a WASM plugin
# (hello-wasm, itests/wasm/assembly/hello-wasm.ts), with wrk: requests per second, latency percentiles and the
# ratio. Results in itests/target/bench/. Not part of the test suite.
#   itests/bench/plugin-call.sh     (run ./goatflow build and `mvn -pl itests generate-test-resources` first)
#   DURATION=20s CONNECTIONS=8 itests/bench/plugin-call.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${DURATION:-20s}
connections=${CONNECTIONS:-8}
out=itests/target/bench
mkdir -p "$out"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; else echo "needs wrk: apt-get install wrk" >&2; exit 1; fi
fi
wasm=itests/wasm/target/wasm/hello-wasm.wasm
[ -f "$wasm" ] || (cd itests/wasm && npm ci --no-audit --no-fund >/dev/null && npm run build >/dev/null)
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
example=${HOME}/.m2/repository/io/goatflow/io.goatflow.plugins.example/$version/io.goatflow.plugins.example-$version.jar

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
home=$(mktemp -d /tmp/bench-plugins.XXXXXX)
tar xzf "$(ls karaf-dist/target/goatflow-distribution-*.tar.gz | head -n 1)" -C "$home" --strip-components=1
port=$(free_port)
sed -i "s/^sshPort *=.*/sshPort = $(free_port)/; s/^sshHost *=.*/sshHost = 127.0.0.1/" "$home/etc/org.apache.karaf.shell.cfg"
cp "$example" "$home/deploy/"
cp "$wasm" "$home/plugins/"
admin_pw=bench-password-123
GOATFLOW_HTTP_PORT=$port GOATFLOW_ADMIN_PASSWORD=$admin_pw "$home/bin/start"
trap '"$home/bin/stop" >/dev/null 2>&1 || true; sleep 2; rm -rf "$home"' EXIT
base=http://127.0.0.1:$port
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/plugins")" = 401 ]; do sleep 0.5; done
token=""
until [ -n "$token" ]; do
    sleep 0.5
    token=$(curl -s -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
        -d "{\"login\":\"admin\",\"password\":\"$admin_pw\"}" \
        | python3 -c 'import sys,json; print(json.load(sys.stdin).get("data",{}).get("token",""))' || true)
done
for path in /api/plugins/hello/greeting /api/plugins/hello-wasm/greeting; do
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base$path?name=bench" -H "Authorization: Bearer $token")" = 200 ]; do
        sleep 0.5
    done
done

lua=$(mktemp /tmp/bench-XXXXXX.lua)
cat >"$lua" <<'LUA'
local path = os.getenv("ROUTE")
local token = os.getenv("TOKEN")
request = function()
  return wrk.format("GET", path .. "?name=bench", {["Authorization"] = "Bearer " .. token})
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout
  io.write(string.format("RESULT %-34s requests=%d rps=%.1f p50=%.2fms p95=%.2fms p99=%.2fms errors=%d\n",
    path, summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
LUA
report=$out/plugin-call-$(date -u +%Y%m%dT%H%M%SZ).txt
echo "GoatFlow plugin call, $(date -u), $(nproc) cores, $connections connections, $duration each (after a 5 s warm-up)" | tee "$report"
for route in /api/plugins/hello/greeting /api/plugins/hello-wasm/greeting; do
    ROUTE=$route TOKEN=$token wrk -t2 -c"$connections" -d5s -s "$lua" "$base" >/dev/null
    ROUTE=$route TOKEN=$token wrk -t2 -c"$connections" -d"$duration" -s "$lua" "$base" | grep RESULT | tee -a "$report"
done
python3 - "$report" <<'PY' | tee -a "$report"
import re, sys
rows = [l for l in open(sys.argv[1]) if l.startswith("RESULT")]
rps = [float(re.search(r"rps=([\d.]+)", r).group(1)) for r in rows]
print(f"WASM/bundle throughput ratio: {rps[1] / rps[0]:.2f}")
PY
echo "Report: $report"
