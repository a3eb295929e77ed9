#!/usr/bin/env bash
# Renders every smp: op at its defaults and at two other settings, on the
# bundled sample photo, from two revisions of this tree, and says which
# results differ.  For refactoring: "outputs unchanged" is then a checked
# fact, byte for byte, not a belief.
#
#   tests/compare-outputs.sh REV_A [REV_B]     (REV_B: the working tree)
#
# Each revision is checked out into a temporary worktree and built there;
# the renders go through the `gegl` command line with GEGL_PATH set to the
# revision's own module.  The masks are drawn by GEGL itself, so both
# revisions read the very same pixels.  Exit status 1 when any differs.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rev_a=${1:?usage: $0 REV_A [REV_B]}
rev_b=${2:-}
work=$(mktemp -d)
trap 'git -C "$src" worktree remove --force "$work/a" 2>/dev/null || true;
      [ -n "$rev_b" ] && git -C "$src" worktree remove --force "$work/b" 2>/dev/null || true;
      rm -rf "$work"' EXIT
gegl_dir=$(pkg-config --variable=pluginsdir gegl-0.4)

# The sample is 800 x 560 px at about 4.8 px/mm.  Masks: the top half
# (a hairline's area, thinning hair), a strip across it (a scar).
photo=$src/docs/data/sample-scalp.jpg
half='aux=[ gegl:rectangle x=0 y=0 width=800 height=280 color=white ]'
strip='aux=[ gegl:rectangle x=100 y=200 width=600 height=24 color=white ]'
cases=(
  "stipple-defaults|smp:stipple"
  "stipple-portrait|smp:stipple px-per-mm=4.8 look=shaved-1-guard seed=7"
  "stipple-custom|smp:stipple px-per-mm=10 look=custom density=150 shade=0.2 stage=fresh $half"
  "hairline-defaults|smp:hairline $half"
  "hairline-portrait|smp:hairline px-per-mm=4.8 style=soft seed=3 $half"
  "hairline-sessions|smp:hairline px-per-mm=6 session=1 sessions=3 $half"
  "scar-defaults|smp:scar-conceal $strip"
  "scar-portrait|smp:scar-conceal px-per-mm=4.8 seed=5 $strip"
  "scar-blend|smp:scar-conceal px-per-mm=8 tone-blend=0.5 $strip"
  "thicken-defaults|smp:thicken $half"
  "thicken-portrait|smp:thicken px-per-mm=4.8 seed=9 $half"
  "thicken-sensitive|smp:thicken px-per-mm=6 sensitivity=0.8 scalp-tone=0.5 $half"
  "scalp-mask-defaults|smp:scalp-mask"
  "scalp-mask-portrait|smp:scalp-mask px-per-mm=4.8"
  "scalp-mask-fine|smp:scalp-mask px-per-mm=10 sensitivity=0.7"
)

# SMP_COMPARE_ONLY=PATTERN keeps only the cases whose name matches it
if [ -n "${SMP_COMPARE_ONLY:-}" ]; then
  kept=()
  for entry in "${cases[@]}"; do
    [[ ${entry%%|*} =~ $SMP_COMPARE_ONLY ]] && kept+=("$entry")
  done
  cases=("${kept[@]}")
fi

build () {
  local tree=$1
  meson setup "$tree/_build" "$tree" >/dev/null
  meson compile -C "$tree/_build" gimp-smp:shared_module >/dev/null
}

render () {
  local tree=$1 out=$2 entry name chain
  mkdir -p "$out"
  for entry in "${cases[@]}"; do
    name=${entry%%|*}
    chain=${entry#*|}
    # word splitting of $chain is the gegl tool's own argument syntax
    # shellcheck disable=SC2086
    (cd "$tree" && GEGL_PATH=$tree/_build/ops:$gegl_dir \
       gegl "$photo" -o "$out/$name.png" -- $chain) 2>"$out/$name.log" ||
      echo "render failed" >>"$out/$name.log"
  done
}

git -C "$src" worktree add --detach "$work/a" "$rev_a" >/dev/null 2>&1
build "$work/a"
render "$work/a" "$work/out-a"
if [ -n "$rev_b" ]; then
  git -C "$src" worktree add --detach "$work/b" "$rev_b" >/dev/null 2>&1
  tree_b=$work/b
  build "$tree_b"
else
  # the working tree as it is, built apart from the developer's build/
  tree_b=$work/b
  mkdir -p "$tree_b"
  git -C "$src" ls-files -z --cached --others --exclude-standard |
    (cd "$src" && xargs -0 cp --parents -t "$tree_b")
  build "$tree_b"
fi
render "$tree_b" "$work/out-b"

differ=0
for entry in "${cases[@]}"; do
  name=${entry%%|*}
  a=$work/out-a/$name.png b=$work/out-b/$name.png
  if [ ! -s "$a" ] || [ ! -s "$b" ]; then
    printf '%-22s NOT RENDERED (%s)\n' "$name" "$(cat "$work/out-a/$name.log" "$work/out-b/$name.log" | tail -1)"
    differ=1
  elif cmp -s "$a" "$b"; then
    printf '%-22s identical  %s\n' "$name" "$(sha256sum "$a" | cut -c1-16)"
  else
    printf '%-22s DIFFERENT\n' "$name"
    differ=1
  fi
done
echo "compared ${#cases[@]} renders of $rev_a and ${rev_b:-the working tree}"
exit "$differ"
