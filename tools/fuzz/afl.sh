#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with AFL++ through SharpFuzz.
#   tools/fuzz/afl.sh <target> <minutes>
# Needs afl-fuzz (Debian: apt-get install -y afl++) and the sharpfuzz tool (installed into /tmp/sharpfuzz
# when missing). Work goes to $SCRATCH (default /tmp): afl-publish/, afl-bin-<target>/, afl-<target>/ (AFL's
# queue, crashes/ and hangs/). Replay a crash with: dotnet tools/fuzz/bin/Release/net10.0/fuzz.dll repro <target> --repair FILE
set -euo pipefail

target=${1:?usage: afl.sh <target> <minutes>}
minutes=${2:-1}
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=${SCRATCH:-/tmp}
publish=$scratch/afl-publish
bin=$scratch/afl-bin-$target
out=$scratch/afl-$target
corpus=$root/tools/fuzz/corpus/$target

case $target in
  resp) assemblies=(tieredkv-server.dll) ;;
  rdb|dump) assemblies=(TieredKv.Rdb.dll) ;;
  sstable|wal|manifest) assemblies=(TieredKv.Storage.dll) ;;
  *) echo "unknown target $target (resp, rdb, dump, sstable, wal, manifest)" >&2; exit 2 ;;
esac
[ -d "$corpus" ] || { echo "no seed corpus at $corpus" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 2; }
sharpfuzz=${SHARPFUZZ:-$(command -v sharpfuzz || echo /tmp/sharpfuzz/sharpfuzz)}
if [ ! -x "$sharpfuzz" ]; then
  dotnet tool install --tool-path /tmp/sharpfuzz SharpFuzz.CommandLine --version 2.3.0
  sharpfuzz=/tmp/sharpfuzz/sharpfuzz
fi

nice -n 10 dotnet publish "$root/tools/fuzz/fuzz.csproj" -c Release -o "$publish" --nologo -v quiet
# Instrument a fresh copy per target: sharpfuzz rewrites the assembly in place, and only the parser's
# assembly is instrumented so AFL's coverage map is spent on it.
rm -rf "$bin" && cp -r "$publish" "$bin"
for dll in "${assemblies[@]}"; do "$sharpfuzz" "$bin/$dll"; done

rm -rf "$out"
seconds=$((minutes * 60))
# dotnet itself is not instrumented (SKIP_BIN_CHECK); the fork server lives in SharpFuzz.
AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  nice -n 10 afl-fuzz -i "$corpus" -o "$out" -t 5000 -m none -V "$seconds" -- dotnet "$bin/fuzz.dll" afl "$target" \
  > "$scratch/afl-$target.log" 2>&1 || { tail -40 "$scratch/afl-$target.log" >&2; exit 1; }

stats=$out/default/fuzzer_stats
echo "afl $target: $(grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg) ' "$stats" | awk '{printf "%s=%s ", $1, $3}')"
crashes=$(awk '$1 == "saved_crashes" {print $3}' "$stats")
hangs=$(awk '$1 == "saved_hangs" {print $3}' "$stats")
[ "$crashes" = 0 ] && [ "$hangs" = 0 ] || { echo "findings in $out/default/crashes and hangs" >&2; exit 1; }
