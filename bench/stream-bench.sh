#!/usr/bin/env bash
# Stream benchmark: XADD, XRANGE - + COUNT 10 and XREADGROUP ... COUNT 10 > against TieredKv and redis-server
# side by side on loopback (Garnet too, when it installs and answers), driven by redis-benchmark with the same
# settings; prints one markdown table (ops/s, p99, our ratio).
#   bench/stream-bench.sh [requests-per-test]
# XADD fills the stream (N entries per pipeline setting), XRANGE reads its head, XREADGROUP consumes N/10 reads of
# 10 new entries each (every read delivers and writes 10 PEL records).
# FSYNC=always|everysec (default everysec). Needs redis-server and redis-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
FSYNC=${FSYNC:-everysec}
GARNET_VERSION=${GARNET_VERSION:-2.2.12}
SCRATCH=${SCRATCH:-$(mktemp -d /tmp/tkv-stream-bench.XXXXXX)}
mkdir -p "$SCRATCH"
OURS_PORT=7150 REDIS_PORT=7151 GARNET_PORT=7152
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
  "$SCRATCH/garnet-$GARNET_VERSION/garnet-server" --port $GARNET_PORT --bind 127.0.0.1 --device-type RandomAccess --aof --aof-commit-freq 1000 \
    --checkpointdir "$SCRATCH/garnet-data" >"$SCRATCH/garnet.log" 2>&1 &
  pids+=($!)
  servers+=("garnet:$GARNET_PORT")
fi
for s in "${servers[@]}"; do wait_ping "${s#*:}"; done

declare -A RPS P99
run() { # name port pipeline label requests command...
  local name=$1 port=$2 pipeline=$3 label=$4 n=$5; shift 5
  local line
  line=$(redis-benchmark -p "$port" -n "$n" -c 50 -P "$pipeline" --csv "$@" 2>/dev/null | grep -v '^"test"' | tail -1 || true)
  IFS=, read -r _ rps _ _ _ _ p99 _ <<<"$line"
  # A server without the command answers errors, which redis-benchmark does not report: such rows stay n/a.
  if [[ "${rps:-}" =~ ^\"?[0-9] ]] && ! redis-cli -p "$port" "$@" 2>&1 | grep -q '^ERR'; then
    RPS["$name|$pipeline|$label"]=${rps//\"/}; P99["$name|$pipeline|$label"]=${p99//\"/}
  fi
}
for pipeline in 1 16; do
  for s in "${servers[@]}"; do
    name=${s%%:*} port=${s#*:}
    redis-cli -p "$port" flushall >/dev/null
    redis-cli -p "$port" xgroup create s g '$' mkstream >/dev/null 2>&1 || true
    run "$name" "$port" "$pipeline" XADD "$N" XADD s '*' field value-of-about-32-bytes-000000
    run "$name" "$port" "$pipeline" XRANGE "$N" XRANGE s - + COUNT 10
    run "$name" "$port" "$pipeline" XREADGROUP $((N / 10)) XREADGROUP GROUP g c COUNT 10 STREAMS s '>'
  done
done

header="| test | pipeline |"; sep="|---|---:|"
for s in "${servers[@]}"; do header+=" ${s%%:*} ops/s | p99 ms |"; sep+="---:|---:|"; done
header+=" vs redis | vs garnet |"; sep+="---:|---:|"
echo; echo "redis-benchmark -c 50, XADD/XRANGE -n $N, XREADGROUP -n $((N / 10)), appendfsync $FSYNC, $(nproc) cores shared by server and client"
echo "$header"; echo "$sep"
for pipeline in 1 16; do
  for test in XADD XRANGE XREADGROUP; do
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
