#!/usr/bin/env bash
# GIMP 3 applies smp:stipple to a layer as a filter, headless, the way a
# user's GIMP would find it: the built module copied into a private
# profile's ~/.local/share/gegl-0.4/plug-ins.
#
#   gimp3-filter.sh CHECKER MODULE
#
# Exit 77 (meson's SKIP) without gimp-console-3.0, e.g. on Debian 12,
# whose GIMP 2.10 has no PDB procedure that runs a GEGL op.
set -euo pipefail

checker=$(realpath "$1")
module=$(realpath "$2")
px_per_mm=20
density=90
seed=7

# a private profile with the module and no plug-in (GEGL_PATH would
# replace the module path and hide the profile's module; XDG variables
# from the caller would point GIMP at someone's real profile): SKIP
# without gimp-console-3.0
major=3 plugin=
. "$(dirname "${BASH_SOURCE[0]}")/gimp-home.sh" smp-gimp3

"$checker" make "$work/in.png" 400 300 '#c68642'

# --quit rather than a second -b '(gimp-quit 0)': GIMP 3.0 stops at a
# failing batch command and would then wait in the background forever.
# Even so the exit status is not the whole story (with gimp-quit it is 0
# after a failure), so out.png itself is checked below.
batch="(let* ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$work/in.png\")))
              (d (vector-ref (car (gimp-image-get-layers img)) 0))
              (f (car (gimp-drawable-filter-new d \"smp:stipple\" \"SMP\"))))
         (gimp-drawable-filter-configure f LAYER-MODE-REPLACE 1.0
           \"px-per-mm\" $px_per_mm.0 \"density\" $density.0 \"seed\" $seed)
         (gimp-drawable-merge-filter d f)
         (gimp-file-save RUN-NONINTERACTIVE img \"$work/out.png\" #f))"
start=$SECONDS
status=0
timeout -k 10 120 "$gimp" -i --batch-interpreter=plug-in-script-fu-eval \
  --quit -b "$batch" >"$work/gimp.log" 2>&1 || status=$?
echo "$gimp: exit $status after $((SECONDS - start)) s"

fail() {
  echo "FAIL: $*"
  echo "---- $gimp output ----"
  cat "$work/gimp.log"
  exit 1
}
[ "$status" -eq 0 ] || fail "$gimp exited with status $status"
grep -q 'execution error' "$work/gimp.log" && fail "the batch reported an error"
[ -s "$work/out.png" ] || fail "GIMP wrote no out.png"
"$checker" verify "$(dirname "$module")" "$work/in.png" "$work/out.png" \
  "$px_per_mm" "$density" "$seed" || fail "out.png is not the stippled layer"
echo "PASS: GIMP applied smp:stipple"
