#!/usr/bin/env bash
# Cold-collection workload: one sorted set and one hash of MEMBERS elements each (default 500k), a
# small memory budget for TieredKv, then redis-benchmark issuing range, rank and score queries at
# random positions against TieredKv and redis-server; prints one markdown table.
#   bench/cold-collection-bench.sh [members] [requests]
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS=${1:-500000}
N=${2:-100000}
SCRATCH=${SCRATCH:-$(mktemp -d /tmp/tkv-cold-bench.XXXXXX)}
mkdir -p "$SCRATCH"
OURS_PORT=7110 REDIS_PORT=7111
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_ping() { for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on $1 did not answer" >&2; return 1; }

dotnet build -c Release src/TieredKv.Server >/dev/null
dotnet src/TieredKv.Server/bin/Release/net10.0/tieredkv-server.dll --port $OURS_PORT --dir "$SCRATCH/ours" --maxmemory 16mb --loglevel warning >"$SCRATCH/ours.log" 2>&1 &
pids+=($!)
redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >"$SCRATCH/redis.log" 2>&1 &
pids+=($!)
wait_ping $OURS_PORT; wait_ping $REDIS_PORT

# Load both with the same data through --pipe (ZADD/HSET in chunks of 100 elements).
awk -v n="$MEMBERS" 'BEGIN {
  for (i = 0; i < n; i += 100) {
    line = "ZADD bigz"; hl = "HSET bigh"
    # Names as redis-benchmark expands __rand_int__: 12 zero-padded digits.
    for (j = i; j < i + 100 && j < n; j++) { m = sprintf("%012d", j); line = line " " j " m" m; hl = hl " f" m " v" j }
    print line; print hl
  }
}' > "$SCRATCH/load.txt"
for port in $OURS_PORT $REDIS_PORT; do
  redis-cli -p "$port" < "$SCRATCH/load.txt" >/dev/null
done

declare -A RPS
run() { # name, requests, command...
  local name=$1 n=$2; shift 2
  for s in tieredkv:$OURS_PORT redis:$REDIS_PORT; do
    RPS["${s%%:*}|$name"]=$(redis-benchmark -p "${s#*:}" -n "$n" -c 50 -r "$MEMBERS" --csv "$@" 2>/dev/null | tail -1 | cut -d, -f2 | tr -d '"')
  done
}
run "ZSCORE" "$N" ZSCORE bigz m__rand_int__
# ZRANK walks the score index from the nearer end (O(rank)): a hundredth of the requests keeps the run short.
run "ZRANK" $((N / 100 > 50 ? N / 100 : 50)) ZRANK bigz m__rand_int__
run "ZRANGEBYSCORE 10" "$N" ZRANGEBYSCORE bigz __rand_int__ +inf LIMIT 0 10
run "ZRANGE 0 9" "$N" ZRANGE bigz 0 9
run "HGET" "$N" HGET bigh f__rand_int__

echo
echo "cold collections: $MEMBERS-element zset and hash, TieredKv maxmemory 16mb, redis-benchmark -n $N -c 50, $(nproc) cores shared"
echo "| query | tieredkv ops/s | redis ops/s | ratio |"
echo "|---|---:|---:|---:|"
for q in "ZSCORE" "ZRANK" "ZRANGEBYSCORE 10" "ZRANGE 0 9" "HGET"; do
  o=${RPS["tieredkv|$q"]:-0}; r=${RPS["redis|$q"]:-0}
  echo "| $q | $o | $r | $(awk -v a="$o" -v b="$r" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }') |"
done
