#!/usr/bin/env bash
# Script benchmark: EVALSHA of a three-command script (GET, INCR, EXPIRE on one random key) against
# TieredKv and redis-server side by side on loopback (Garnet too, with --lua, when it can be installed),
# driven by redis-benchmark with the same settings; prints one markdown table (ops/s, p99, our ratio).
#   bench/script-bench.sh [requests-per-test]
# FSYNC=always|everysec (default everysec) sets appendfsync for us and Redis.
# Needs redis-server and redis-tools (apt-get install redis-server redis-tools).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
FSYNC=${FSYNC:-everysec}
GARNET_VERSION=${GARNET_VERSION:-2.2.12}
SCRATCH=${SCRATCH:-$(mktemp -d /tmp/tkv-script-bench.XXXXXX)}
SCRIPT="local v = redis.call('GET', KEYS[1]) redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], 100) return v"
mkdir -p "$SCRATCH"
OURS_PORT=7110 REDIS_PORT=7111 GARNET_PORT=7112
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_ping() { for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on $1 did not answer" >&2; return 1; }

dotnet build -c Release src/TieredKv.Server >/dev/null
rm -rf "$SCRATCH/ours" "$SCRATCH/redis"; mkdir -p "$SCRATCH/redis"
dotnet src/TieredKv.Server/bin/Release/net10.0/tieredkv-server.dll --port $OURS_PORT --dir "$SCRATCH/ours" --appendfsync "$FSYNC" --loglevel warning >"$SCRATCH/ours.log" 2>&1 &
pids+=($!)
redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly yes --appendfsync "$FSYNC" --dir "$SCRATCH/redis" --loglevel warning >"$SCRATCH/redis.log" 2>&1 &
pids+=($!)
servers=("tieredkv:$OURS_PORT" "redis:$REDIS_PORT")
if [ ! -x "$SCRATCH/garnet-$GARNET_VERSION/garnet-server" ]; then
  dotnet tool install --tool-path "$SCRATCH/garnet-$GARNET_VERSION" garnet-server --version "$GARNET_VERSION" >/dev/null 2>&1 || echo "garnet-server could not be installed: skipped" >&2
fi
if [ -x "$SCRATCH/garnet-$GARNET_VERSION/garnet-server" ]; then
  rm -rf "$SCRATCH/garnet-data"; mkdir -p "$SCRATCH/garnet-data"
  "$SCRATCH/garnet-$GARNET_VERSION/garnet-server" --port $GARNET_PORT --bind 127.0.0.1 --device-type RandomAccess --lua --aof --aof-commit-freq 1000 \
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
    sha=$(redis-cli -p "$port" script load "$SCRIPT")
    while IFS=, read -r test rps avg min p50 p95 p99 max; do
      test=${test//\"/}; [ "$test" = "test" ] && continue
      RPS["$name|$pipeline"]=${rps//\"/}; P99["$name|$pipeline"]=${p99//\"/}
    done < <(redis-benchmark -p "$port" -n "$N" -c 50 -P "$pipeline" -r 100000 --csv EVALSHA "$sha" 1 key:__rand_int__ 2>/dev/null)
  done
done

header="| script | pipeline |"; sep="|---|---:|"
for s in "${servers[@]}"; do header+=" ${s%%:*} ops/s | p99 ms |"; sep+="---:|---:|"; done
header+=" vs redis | vs garnet |"; sep+="---:|---:|"
echo; echo "redis-benchmark -n $N -c 50 -r 100000 EVALSHA (GET, INCR, EXPIRE), appendfsync $FSYNC, $(nproc) cores shared by server and client"
echo "$header"; echo "$sep"
for pipeline in 1 16; do
  row="| GET+INCR+EXPIRE | $pipeline |"
  for s in "${servers[@]}"; do row+=" ${RPS["${s%%:*}|$pipeline"]:-n/a} | ${P99["${s%%:*}|$pipeline"]:-n/a} |"; done
  ours=${RPS["tieredkv|$pipeline"]:-0}
  for peer in redis garnet; do
    theirs=${RPS["$peer|$pipeline"]:-0}
    if [ "$theirs" != "0" ] && [ "$ours" != "0" ]; then row+=" $(awk -v a="$ours" -v b="$theirs" 'BEGIN{printf "%.2f", a/b}') |"; else row+=" n/a |"; fi
  done
  echo "$row"
done
