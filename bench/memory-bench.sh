#!/usr/bin/env bash
# Memory and larger-than-memory benchmark: TieredKv, redis-server and Garnet, one server at a time.
#   bench/memory-bench.sh [keys] [large-keys]
# Phase 1 (RSS per key): loads <keys> (default 1M) distinct 16-byte keys with 64-byte values through
# redis-cli --pipe into each server (ours with a hot tier large enough to hold them all) and reports
# the RSS growth per key. Phase 2 (only when large-keys > 0, e.g. 5000000): loads that many keys with
# 100-byte values under a 64 MiB memory budget (ours: maxmemory 64mb; Garnet: --storage-tier --memory
# 64m; Redis has no disk tier and is skipped) and runs GET over the whole key space at P1 and P16.
# Needs redis-server and redis-tools; Garnet is installed as a .NET tool into $SCRATCH when NuGet is reachable.
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${1:-1000000}
LARGE_KEYS=${2:-0}
GARNET_VERSION=${GARNET_VERSION:-2.2.12}
SCRATCH=${SCRATCH:-$(mktemp -d /tmp/tkv-memory-bench.XXXXXX)}
PORT=7110
mkdir -p "$SCRATCH"
server_pid=
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=; fi; }
trap stop_server EXIT

wait_ping() { for _ in $(seq 1 300); do redis-cli -p $PORT ping >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on $PORT did not answer" >&2; return 1; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }

# The SET commands in RESP: key:%012d (16 bytes) and a value of the given size.
commands() { # count value-size file
  [ -s "$3" ] && return 0
  awk -v n="$1" -v size="$2" 'BEGIN {
    v = sprintf("%0" size "d", 0); gsub(/0/, "v", v)
    for (i = 0; i < n; i++) { k = sprintf("key:%012d", i); printf "*3\r\n$3\r\nSET\r\n$16\r\n%s\r\n$%d\r\n%s\r\n", k, size, v }
  }' > "$3"
}

start() { # name, memory budget (bytes) or "", for phase 2
  local name=$1 budget=$2 dir="$SCRATCH/$1-data"
  rm -rf "$dir"; mkdir -p "$dir"
  case $name in
    tieredkv)
      dotnet src/TieredKv.Server/bin/Release/net10.0/tieredkv-server.dll --port $PORT --dir "$dir" \
        --maxmemory "$([ -n "$budget" ] && echo "${budget}b" || echo 4gb)" --loglevel warning >"$SCRATCH/$name.log" 2>&1 & ;;
    redis)
      redis-server --port $PORT --bind 127.0.0.1 --save '' --appendonly yes --appendfsync everysec --dir "$dir" \
        --loglevel warning >"$SCRATCH/$name.log" 2>&1 & ;;
    garnet)
      local tier=(); [ -n "$budget" ] && tier=(--storage-tier --logdir "$dir" --memory "$budget" --page 4m)
      "$SCRATCH/garnet-$GARNET_VERSION/garnet-server" --port $PORT --bind 127.0.0.1 --device-type RandomAccess --aof --aof-commit-freq 1000 \
        --checkpointdir "$dir" "${tier[@]}" >"$SCRATCH/$name.log" 2>&1 & ;;
  esac
  server_pid=$!
  wait_ping
}

dotnet build -c Release src/TieredKv.Server >/dev/null
if [ ! -x "$SCRATCH/garnet-$GARNET_VERSION/garnet-server" ]; then
  dotnet tool install --tool-path "$SCRATCH/garnet-$GARNET_VERSION" garnet-server --version "$GARNET_VERSION" >/dev/null 2>&1 || echo "garnet-server could not be installed: skipped" >&2
fi
servers=(redis tieredkv); [ -x "$SCRATCH/garnet-$GARNET_VERSION/garnet-server" ] && servers+=(garnet)

commands "$KEYS" 64 "$SCRATCH/load-$KEYS.resp"
echo; echo "RSS after $KEYS keys (16 B key, 64 B value), all in memory, $(nproc) cores"
echo "| server | RSS before MB | RSS after MB | bytes per key | vs redis |"; echo "|---|---:|---:|---:|---:|"
declare -A PER_KEY
for name in "${servers[@]}"; do
  start "$name" ""
  before=$(rss_kb)
  redis-cli -p $PORT --pipe < "$SCRATCH/load-$KEYS.resp" >/dev/null
  [ "$(redis-cli -p $PORT dbsize)" = "$KEYS" ] || echo "$name holds $(redis-cli -p $PORT dbsize) keys, not $KEYS" >&2
  sleep 5 # let background work (flushes, compaction, GC) settle
  after=$(rss_kb)
  PER_KEY[$name]=$(( (after - before) * 1024 / KEYS ))
  ratio=$(awk -v a="${PER_KEY[$name]}" -v b="${PER_KEY[redis]:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
  echo "| $name | $((before / 1024)) | $((after / 1024)) | ${PER_KEY[$name]} | $ratio |"
  stop_server
done

[ "$LARGE_KEYS" -gt 0 ] || exit 0
commands "$LARGE_KEYS" 100 "$SCRATCH/load-$LARGE_KEYS-100.resp"
echo; echo "$LARGE_KEYS keys (100 B values) under a 64 MiB memory budget: GET over the whole key space, 50 clients"
echo "| server | load s | RSS MB | GET P1 ops/s | p99 ms | GET P16 ops/s | p99 ms |"; echo "|---|---:|---:|---:|---:|---:|---:|"
for name in "${servers[@]}"; do
  [ "$name" = redis ] && continue
  start "$name" 64m
  t0=$(date +%s)
  redis-cli -p $PORT --pipe < "$SCRATCH/load-$LARGE_KEYS-100.resp" >/dev/null
  load=$(( $(date +%s) - t0 ))
  row="| $name | $load |"
  for pipeline in 1 16; do
    # __rand_int__ is 12 digits: key:__rand_int__ names exactly the loaded keys.
    csv=$(redis-benchmark -p $PORT -n 200000 -c 50 -P $pipeline -r "$LARGE_KEYS" --csv GET key:__rand_int__ 2>/dev/null | tail -n 1)
    IFS=, read -r _ rps _ _ _ _ p99 _ <<<"${csv//\"/}"
    [ $pipeline = 1 ] && row+=" $(( $(rss_kb) / 1024 )) |"
    row+=" $rps | $p99 |"
  done
  echo "$row"
  stop_server
done
