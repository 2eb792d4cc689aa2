#!/usr/bin/env bash
# Measures cold boot (start to first 200 on the health URL) and idle resident memory of the GoatFlow
# distribution, next to a bare Karaf of the same version. Fresh unpack each round; results in target/bench/.
#   itests/bench/boot-time.sh [rounds]      (default 3; run ./goatflow build first)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
karaf_version=4.4.10
out=itests/target/bench
mkdir -p "$out"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}

goatflow_tar=$(ls karaf-dist/target/goatflow-distribution-*.tar.gz | head -n 1)
bare_tar=$HOME/.m2/repository/org/apache/karaf/apache-karaf/$karaf_version/apache-karaf-$karaf_version.tar.gz
[ -f "$bare_tar" ] || mvn -q -B dependency:get -Dartifact=org.apache.karaf:apache-karaf:$karaf_version:tar.gz >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# measure NAME TARBALL URL-PATH -> prints "boot_ms rss_mb"
measure() {
    local name=$1 tar=$2 path=$3 home port start pid ms rss
    home=$(mktemp -d "/tmp/bench-$name.XXXXXX")
    tar xzf "$tar" -C "$home" --strip-components=1
    port=$(free_port)
    if [ "$name" = bare ]; then
        # A bare Karaf serves HTTP only with a web feature; boot it with http and measure its root URL.
        sed -i 's/^\(featuresBoot = \\\)$/\1\n    http, \\/' "$home/etc/org.apache.karaf.features.cfg"
        printf 'org.osgi.service.http.port = %s\n' "$port" >"$home/etc/org.ops4j.pax.web.cfg"
    fi
    sed -i "s/^sshPort *=.*/sshPort = $(free_port)/" "$home/etc/org.apache.karaf.shell.cfg"
    sed -i "s/^rmiRegistryPort *=.*/rmiRegistryPort = $(free_port)/; s/^rmiServerPort *=.*/rmiServerPort = $(free_port)/" \
        "$home/etc/org.apache.karaf.management.cfg"
    start=$(date +%s%N)
    GOATFLOW_HTTP_PORT=$port GOATFLOW_ADMIN_PASSWORD=bench-password-123 "$home/bin/start"
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")" -lt 500 ] \
          && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")" != 000 ]; do
        sleep 0.05
        if [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 120000 ]; then echo "timeout" >&2; break; fi
    done
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    sleep 15
    pid=$(cat "$home/karaf.pid" 2>/dev/null || pgrep -f "karaf.base=$home" | head -n 1)
    rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
    "$home/bin/stop" >/dev/null 2>&1 || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    rm -rf "$home"
    echo "$ms $rss"
}

{
    echo "# cold boot to first answer, idle RSS 15 s later; $(nproc) cores; $(date -u +%FT%TZ)"
    echo "# what round boot_ms rss_mb"
    for i in $(seq 1 "$rounds"); do
        echo "goatflow $i $(measure goatflow "$goatflow_tar" /health)"
        echo "bare-karaf $i $(measure bare "$bare_tar" /)"
    done
} | tee "$out/boot-time.txt"
