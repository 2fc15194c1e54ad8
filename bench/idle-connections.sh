#!/usr/bin/env bash
# RSS per idle connection: opens N connections (default 5000) to TieredKv and to redis-server, one server at a
# time, each sending one PING, then reads the server's RSS growth; prints one markdown table.
#   bench/idle-connections.sh [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
SCRATCH=${SCRATCH:-$(mktemp -d /tmp/tkv-idle.XXXXXX)}
ulimit -n $((N + 1000))
dotnet build -c Release src/TieredKv.Server >/dev/null
measure() { # port pid -> "before after" in KB
  python3 - "$1" "$2" "$N" <<'PY'
import socket, sys, time
port, pid, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rss = lambda: int(open(f"/proc/{pid}/status").read().split("VmRSS:")[1].split()[0])
time.sleep(1); before = rss(); socks = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(b"PING\r\n"); socks.append(s)
for s in socks: s.recv(16)
time.sleep(2); print(before, rss())
PY
}
wait_ping() { for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
rm -rf "$SCRATCH/ours"; mkdir -p "$SCRATCH/redis"
dotnet src/TieredKv.Server/bin/Release/net10.0/tieredkv-server.dll --port 7170 --dir "$SCRATCH/ours" --maxclients $((N + 100)) --loglevel warning >/dev/null 2>&1 &
pid=$!; wait_ping 7170; read -r ob oa < <(measure 7170 $pid); kill $pid; wait $pid 2>/dev/null || true
redis-server --port 7171 --save '' --appendonly no --dir "$SCRATCH/redis" --maxclients $((N + 100)) --loglevel warning >/dev/null 2>&1 &
pid=$!; wait_ping 7171; read -r rb ra < <(measure 7171 $pid); kill $pid; wait $pid 2>/dev/null || true
echo; echo "$N idle connections (one PING each), RSS growth"
echo "| server | RSS before KB | RSS after KB | per connection B |"; echo "|---|---:|---:|---:|"
echo "| tieredkv | $ob | $oa | $(( (oa - ob) * 1024 / N )) |"
echo "| redis | $rb | $ra | $(( (ra - rb) * 1024 / N )) |"
