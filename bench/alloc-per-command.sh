#!/usr/bin/env bash
# Bytes allocated on the server's GC heap per command, background work (flush, compaction) included.
#   bench/alloc-per-command.sh [requests] [tests] [pipeline]
# Starts tieredkv-server, warms each test once, then runs redis-benchmark (-c 50 -d 64 -r 100000) while
# dotnet-counters samples dotnet.gc.heap.total_allocated each second for WINDOW seconds (default 15; the
# run must fit in it); prints allocated bytes / requests.
# Needs redis-tools and dotnet-counters (dotnet tool install -g dotnet-counters).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300000}
TESTS=${2:-set,hset,lpush,sadd,zadd}
PIPELINE=${3:-16}
PORT=7120
WINDOW=${WINDOW:-15} # seconds of sampling per test: the run must end inside it
COUNTERS=$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters")
SCRATCH=${SCRATCH:-$(mktemp -d /tmp/tkv-alloc-bench.XXXXXX)}
rm -rf "$SCRATCH/data"; mkdir -p "$SCRATCH"
dotnet build -c Release src/TieredKv.Server >/dev/null
dotnet src/TieredKv.Server/bin/Release/net10.0/tieredkv-server.dll --port $PORT --dir "$SCRATCH/data" --loglevel warning >"$SCRATCH/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do redis-cli -p $PORT ping >/dev/null 2>&1 && break; sleep 0.1; done

echo "| test | pipeline | requests | allocated bytes per request |"; echo "|---|---:|---:|---:|"
for test in ${TESTS//,/ }; do
  redis-benchmark -p $PORT -t "$test" -n "$N" -c 50 -P "$PIPELINE" -r 100000 -d 64 -q >/dev/null # warm: keys exist, JIT done
  rm -f "$SCRATCH/counters.csv"
  # A fixed window that outlasts the run (dotnet-counters stops by itself; it ignores signals without a console).
  timeout $((WINDOW + 30)) "$COUNTERS" collect -p $server --counters System.Runtime --format csv --refresh-interval 1 \
    --duration "00:00:00:$WINDOW" -o "$SCRATCH/counters.csv" </dev/null >/dev/null 2>&1 &
  collector=$!
  sleep 2
  redis-benchmark -p $PORT -t "$test" -n "$N" -c 50 -P "$PIPELINE" -r 100000 -d 64 -q >/dev/null
  wait $collector || true
  bytes=$(awk -F, '$3 ~ /^dotnet.gc.heap.total_allocated/ { sum += $5 } END { printf "%.0f", sum }' "$SCRATCH/counters.csv")
  echo "| ${test^^} | $PIPELINE | $N | $(( bytes / N )) |"
done
