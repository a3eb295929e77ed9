#!/usr/bin/env bash
# The batch's cost (issue 11, measure d): docs/smp-batch.sh over a folder
# of photos with masks, next to the same work without GIMP, and the
# plug-in process's peak memory photo by photo.
#
#   batch-bench.sh MAJOR BENCH MODULE PLUGIN [--photos N] [--size WxH]
#                  [--seed S] [--px-per-mm P] [--check-memory PERCENT]
#
# BENCH is smp-batch-bench.  It makes N synthetic photos with their masks
# from the seed (default: 10 of 6000x4000, seed 1, 20 px/mm), then times
#   - GIMP's start-up: the batch over a folder with no photo (after one
#     such run to warm GIMP's caches), all of GIMP's start and quit;
#   - the bare op: smp-batch-bench bare, the batch's own code without GIMP
#     (GEGL loads, Density alone, the result laid over and written);
#   - the batch: docs/smp-batch.sh with the default layouts, the plug-in
#     logging its peak memory per photo (SMP_BATCH_MEMORY);
# and prints the batch's time against 1.5 x (the bare ops' sum) + start-up,
# in wall time and in CPU time (which other jobs on the machine stretch
# less), and the growth of the per-photo peak from the 2nd photo on.  It reports
# and never fails on a time.  --check-memory PERCENT skips the start-up
# and bare runs and fails (exit 1) when a photo after the 2nd peaks more
# than PERCENT % above the 2nd: the test plugin-batch-memory, at a small
# size.
set -euo pipefail

major=$1
bench=$(realpath "$2")
module=$(realpath "$3")
plugin=$(realpath "$4")
shift 4
photos=10 size=6000x4000 seed=1 px_per_mm=20 check=
while [ $# -gt 0 ]; do
  case $1 in
    --photos) photos=$2 ;;
    --size) size=$2 ;;
    --seed) seed=$2 ;;
    --px-per-mm) px_per_mm=$2 ;;
    --check-memory) check=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
[ "$photos" -ge 3 ] || { echo "--photos: 3 or more" >&2; exit 2; }
. "$(dirname "${BASH_SOURCE[0]}")/gimp-home.sh" smp-batch-bench
export SMP_GIMP_CONSOLE=$gimp
command=$(realpath "$(dirname "${BASH_SOURCE[0]}")/../../docs/smp-batch.sh")

fail() {
  echo "FAIL: $*"
  exit 1
}
# Runs a command, its output in the file LOG; sets $wall and $cpu in
# seconds (cpu: user and system time, of the processes it waited for too:
# GIMP's plug-ins), and $load, the load average when it began.  Another
# job on the machine stretches the wall time more than the CPU time.
measure() {
  local log=$1 TIMEFORMAT='%R %U %S' user sys
  shift
  load=$(cut -d' ' -f1 /proc/loadavg)
  { time "$@" >"$log" 2>&1; } 2>"$work/times" || true
  read -r wall user sys < "$work/times"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
}

in=$work/photos
"$bench" make "$in" "$photos" "${size%x*}" "${size#*x}" "$seed" || fail "the photos could not be made"
printf '[plug-in-smp-density]\npx-per-mm=%s\nlook=shaved-healed\nseed=%s\n' "$px_per_mm" "$seed" \
  > "$work/settings.ini"
echo "$gimp, $photos photos of $size with masks (seed $seed, $px_per_mm px/mm), $(nproc) cores"

# GIMP's start-up: the first start builds its caches, the second is timed.
# A check of memory times nothing and runs no bare run: it needs neither
# (a GIMP start-up is some 10 s of CPU).
startup=0 startup_cpu=0
if [ -z "$check" ]; then
  mkdir -p "$work/empty"
  "$command" "$work/empty" "$work/out-empty" "$work/settings.ini" >"$work/warm.log" 2>&1 || true
  SMP_BATCH_MEMORY=1 measure "$work/empty.log" \
    "$command" "$work/empty" "$work/out-empty" "$work/settings.ini"
  startup=$wall startup_cpu=$cpu
  grep -q 'No photos' "$work/empty.log" || { cat "$work/empty.log"; fail "the run over no photo"; }
  echo "GIMP's start-up (the batch over no photo): $wall s, CPU $cpu s (load average $load)"
  # the bare run with GEGL set as GIMP sets it for its plug-in: a smaller
  # tile cache would send tiles to disk and make the bare run the slower
  read -r threads cache < <(awk '/^smp-batch memory: GEGL/ { print $5, $7 }' "$work/empty.log")
  [ -n "$cache" ] || fail "the plug-in logged no GEGL settings"
  echo "GEGL in the plug-in and the bare run: $threads threads, a tile cache of $cache MiB"
fi

: > "$work/bare.log"
bare_cpu=0
if [ -z "$check" ]; then
  GEGL_THREADS=$threads GEGL_CACHE_SIZE=$cache \
    measure "$work/bare.log" "$bench" bare "$in" "$work/settings.ini" "$work/out-bare"
  bare_cpu=$cpu
  cat "$work/bare.log"
  grep -q '^bare total' "$work/bare.log" || fail "the bare run"
  echo "the bare run: $wall s, CPU $cpu s (load average $load)"
fi

SMP_BATCH_MEMORY=1 measure "$work/batch.log" \
  "$command" "$in" "$work/out" "$work/settings.ini"
batch=$wall batch_cpu=$cpu
grep -q "^plug-in-smp-batch: $photos done, 0 skipped" "$work/batch.log" \
  || { cat "$work/batch.log"; fail "not all $photos photos done"; }
grep -q '^smp-batch memory: \[' "$work/batch.log" || fail "the plug-in logged no memory"
echo "the batch (results and layouts): $wall s, CPU $cpu s (load average $load)"
# the same work as the bare run: the results alone
results=0 results_cpu=0
if [ -z "$check" ]; then
  measure "$work/results.log" \
    "$command" "$in" "$work/out-results" "$work/settings.ini" --no-composites
  results=$wall results_cpu=$cpu
  grep -q "^plug-in-smp-batch: $photos done, 0 skipped" "$work/results.log" \
    || { cat "$work/results.log"; fail "--no-composites"; }
  echo "the batch with --no-composites (results only): $wall s, CPU $cpu s (load average $load)"
fi

# the report: the per-photo memory of the plug-in (and of the bare run)
awk -v startup="$startup" -v batch="$batch" -v results="$results" -v check="$check" \
    -v startup_cpu="$startup_cpu" -v batch_cpu="$batch_cpu" -v results_cpu="$results_cpu" \
    -v bare_cpu="$bare_cpu" '
  function verdict(what, t, start, base) {
    printf "%s: %.2f s <= %.2f s? %s (ratio %.2f)\n", what, t, 1.5 * base + start,
           t <= 1.5 * base + start ? "yes" : "no", (t - start) / base
  }
  /^bare \[/ { bare_peak[++nb] = $11; bare_s[nb] = $5 + $7 + $9; next }
  /^bare total/ { load = $4; op = $6; write = $8; next }
  /^smp-batch memory: \[/ { peak[++n] = $6; rss[n] = $8; secs[n] = $10; name[n] = $4 }
  END {
    if (check == "") {
      bare = load + op + write
      printf "bare ops (Density alone, in memory): %.2f s in all; with GEGL reading the photos and masks and writing the results: %.2f s (CPU %.2f s for the whole run)\n", op, bare, bare_cpu
      verdict("the batch with layouts against 1.5 x the bare ops alone + start-up", batch, startup, op)
      verdict("the batch with layouts against 1.5 x the bare runs + start-up", batch, startup, bare)
      verdict("the batch without layouts against 1.5 x the bare runs + start-up", results, startup, bare)
      verdict("in CPU time, the batch with layouts against the same", batch_cpu, startup_cpu, bare_cpu)
      verdict("in CPU time, the batch without layouts against the same", results_cpu, startup_cpu, bare_cpu)
    }
    printf "%-16s %10s %10s %10s %10s %10s\n", "photo", "peak MiB", "after MiB", "seconds",
           "bare peak", "bare s"
    worst = 0
    for (k = 1; k <= n; k++) {
      printf "%-16s %10.1f %10.1f %10.2f %10s %10s\n", name[k], peak[k] / 1024, rss[k] / 1024, secs[k],
             k <= nb ? sprintf ("%.1f", bare_peak[k] / 1024) : "-",
             k <= nb ? sprintf ("%.2f", bare_s[k]) : "-"
      if (k > 2 && peak[k] > worst) worst = peak[k]
    }
    growth = 100 * (peak[n] - peak[2]) / peak[2]
    most = 100 * (worst - peak[2]) / peak[2]
    printf "peak growth from the 2nd photo: %+.2f %% at the %dth, %+.2f %% at the most (at most 5 %%)\n",
           growth, n, most
    printf "memory after a photo, growth from the 2nd: %+.2f %%\n", 100 * (rss[n] - rss[2]) / rss[2]
    if (check != "" && most > check) {
      printf "FAIL: a photo peaked %.2f %% above the 2nd (at most %s %%)\n", most, check
      exit 1
    }
  }' "$work/bare.log" "$work/batch.log" \
  || fail "the plug-in's peak memory grew"
if [ -n "$check" ]; then
  echo "PASS: the batch's peak memory per photo in $gimp"
fi
exit 0
