#!/usr/bin/env bash
# Whole-server benchmark: TieredKv, redis-server and Garnet side by side on loopback, driven by
# redis-benchmark with the same settings; prints one markdown table (ops/s, p99, our ratio).
#   bench/server-bench.sh [requests-per-test] [tests]
# tests are redis-benchmark's -t names, plus "zrange" (ZRANGE myzset 0 9 WITHSCORES on the set that
# the zadd test filled: list zadd before it), e.g. bench/server-bench.sh 100000 lpush,lpop,sadd,hset,zadd,zrange
# FSYNC=always|everysec (default everysec) sets appendfsync for us and Redis (Garnet: --aof-commit-wait
# under always, which replies after the AOF commit; --aof-commit-freq 1000 under everysec).
# Needs redis-server and redis-tools (apt-get install redis-server redis-tools); Garnet is installed
# as a .NET tool into $SCRATCH when NuGet is reachable, and skipped otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
TESTS=${2:-set,get,incr,lpush,hset}
FSYNC=${FSYNC:-everysec}
GARNET_VERSION=${GARNET_VERSION:-2.2.12}
GARNET_AOF=(--aof-commit-freq 1000); [ "$FSYNC" = always ] && GARNET_AOF=(--aof-commit-wait)
SCRATCH=${SCRATCH:-$(mktemp -d /tmp/tkv-server-bench.XXXXXX)}
mkdir -p "$SCRATCH"
OURS_PORT=7100 REDIS_PORT=7101 GARNET_PORT=7102
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_ping() { for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on $1 did not answer" >&2; return 1; }

dotnet build -c Release src/TieredKv.Server >/dev/null
dotnet src/TieredKv.Server/bin/Release/net10.0/tieredkv-server.dll --port $OURS_PORT --dir "$SCRATCH/ours" --appendfsync "$FSYNC" --loglevel warning >"$SCRATCH/ours.log" 2>&1 &
pids+=($!)
redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly yes --appendfsync "$FSYNC" --dir "$(mkdir -p "$SCRATCH/redis" && echo "$SCRATCH/redis")" --loglevel warning >"$SCRATCH/redis.log" 2>&1 &
pids+=($!)
servers=("tieredkv:$OURS_PORT" "redis:$REDIS_PORT")
if [ ! -x "$SCRATCH/garnet-$GARNET_VERSION/garnet-server" ]; then
  dotnet tool install --tool-path "$SCRATCH/garnet-$GARNET_VERSION" garnet-server --version "$GARNET_VERSION" >/dev/null 2>&1 || echo "garnet-server could not be installed: skipped" >&2
fi
if [ -x "$SCRATCH/garnet-$GARNET_VERSION/garnet-server" ]; then
  mkdir -p "$SCRATCH/garnet-data"
  "$SCRATCH/garnet-$GARNET_VERSION/garnet-server" --port $GARNET_PORT --bind 127.0.0.1 --device-type RandomAccess --aof "${GARNET_AOF[@]}" \
    --checkpointdir "$SCRATCH/garnet-data" >"$SCRATCH/garnet.log" 2>&1 &
  pids+=($!)
  servers+=("garnet:$GARNET_PORT")
fi
for s in "${servers[@]}"; do wait_ping "${s#*:}"; done

declare -A RPS P99
for pipeline in 1 16; do
  for s in "${servers[@]}"; do
    name=${s%%:*} port=${s#*:}
    redis-cli -p "$port" flushall >/dev/null
    builtin=$(echo "$TESTS" | tr ',' '\n' | grep -v '^zrange$' | paste -sd, -)
    while IFS=, read -r test rps avg min p50 p95 p99 max; do
      test=${test//\"/}; [ "$test" = "test" ] && continue
      test=${test%% *} # a custom command's row is named by its whole command line
      RPS["$name|$pipeline|$test"]=${rps//\"/}; P99["$name|$pipeline|$test"]=${p99//\"/}
    done < <(
      redis-benchmark -p "$port" -t "$builtin" -n "$N" -c 50 -P "$pipeline" -r 100000 -d 64 --csv 2>/dev/null
      if [[ ",$TESTS," == *,zrange,* ]]; then
        redis-benchmark -p "$port" -n "$N" -c 50 -P "$pipeline" --csv ZRANGE myzset 0 9 WITHSCORES 2>/dev/null | tail -n +2
      fi)
  done
done

header="| test | pipeline |"; sep="|---|---:|"
for s in "${servers[@]}"; do header+=" ${s%%:*} ops/s | p99 ms |"; sep+="---:|---:|"; done
header+=" vs redis | vs garnet |"; sep+="---:|---:|"
echo; echo "redis-benchmark -n $N -c 50 -d 64 -r 100000, appendfsync $FSYNC, $(nproc) cores shared by server and client"
echo "$header"; echo "$sep"
for pipeline in 1 16; do
  for test in $(echo "$TESTS" | tr ',' ' ' | tr 'a-z' 'A-Z'); do
    row="| $test | $pipeline |"
    for s in "${servers[@]}"; do row+=" ${RPS["${s%%:*}|$pipeline|$test"]:-n/a} | ${P99["${s%%:*}|$pipeline|$test"]:-n/a} |"; done
    ours=${RPS["tieredkv|$pipeline|$test"]:-0}
    for peer in redis garnet; do
      theirs=${RPS["$peer|$pipeline|$test"]:-0}
      if [ "$theirs" != "0" ] && [ "$ours" != "0" ]; then row+=" $(awk -v a="$ours" -v b="$theirs" 'BEGIN{printf "%.2f", a/b}') |"; else row+=" n/a |"; fi
    done
    echo "$row"
  done
done
