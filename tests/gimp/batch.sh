#!/usr/bin/env bash
# plug-in-smp-batch in the real GIMP, headless, through the user guide's
# command docs/smp-batch.sh: GIMP 3 or GIMP 2.10, whichever gimp-console
# is given.
#
#   batch.sh MAJOR CHECKER MODULE PLUGIN META-READER
#
# A folder it makes itself: three small photos of skin (one with a mask),
# a corrupt JPEG and a missing one (a link to no file); settings files.
# Asserts: the good photos' results and layouts are written, the layouts
# at the default preset's size, results and layouts with the disclosure in
# their comment and XMP (every PNG chunk's CRC right); the corrupt and the
# missing one told by name and skipped, the others still done; the masked photo changed only within
# reach of its mask; the photos and masks unchanged to the byte;
# --no-composites writing the results only; a settings file with an
# unknown key refused with the key named and nothing written.
set -euo pipefail

major=$1
checker=$(realpath "$2")
module=$(realpath "$3")
plugin=$(realpath "$4")
meta_read=$(realpath "$5")
. "$(dirname "${BASH_SOURCE[0]}")/gimp-home.sh" smp-batch
# the command finds the GIMP the test was given
export SMP_GIMP_CONSOLE=$gimp
command=$(dirname "${BASH_SOURCE[0]}")/../../docs/smp-batch.sh

fail() {
  echo "FAIL: $*"
  exit 1
}

# the folder: light skin, dark skin with a mask, medium skin, a corrupt JPEG
in=$work/photos
mkdir -p "$in"
"$checker" make "$in/a-light.png" 400 300 '#f1c9a5'
"$checker" make "$in/b-dark.png" 400 300 '#8d5524'
"$checker" make-mask "$in/b-dark-mask.png" 400 300 150 100 100 80
"$checker" make "$in/c-medium.png" 400 300 '#c68642'
head -c 2000 /dev/urandom > "$in/d-corrupt.jpg"
(cd "$in" && sha256sum ./* > "$work/sums")
# listed in the folder, gone when read: a link to a file that is not there
ln -s "$work/nowhere.jpg" "$in/e-missing.jpg"

cat > "$work/settings.ini" <<'INI'
# what the Density dialog shows, by the PDB's argument names
[plug-in-smp-density]
px-per-mm=10
look=shaved-healed
seed=7
INI

start=$SECONDS
"$command" "$in" "$work/out" "$work/settings.ini" >"$work/batch.log" 2>&1 \
  || { cat "$work/batch.log"; fail "docs/smp-batch.sh exited with an error"; }
echo "$gimp: the batch ran in $((SECONDS - start)) s"
cat "$work/batch.log" | grep -E '^\[|^plug-in-smp-batch' || true
grep -q '^\[1/5\] a-light.png: done' "$work/batch.log" || fail "no progress line for a-light.png"
grep -q '^\[3/5\] c-medium.png: done' "$work/batch.log" || fail "no progress line for c-medium.png"
grep -q '^\[4/5\] d-corrupt.jpg: skipped (cannot load' "$work/batch.log" \
  || fail "the corrupt photo not told by name"
grep -q '^\[5/5\] e-missing.jpg: skipped (cannot load: no such file)' "$work/batch.log" \
  || fail "the missing photo not told by name"
grep -q '^plug-in-smp-batch: 3 done, 2 skipped' "$work/batch.log" || fail "not 3 done and 2 skipped"
for name in a-light b-dark c-medium; do
  [ -s "$work/out/$name-smp.png" ] || fail "no $name-smp.png"
  # the default layout: side by side at 1080×1080
  "$checker" layout "$work/out/$name-before-after.png" 1080 1080 || fail "$name-before-after.png"
  # written by GEGL with Before/After Layout's description: the file says
  # what the layout's image says
  "$meta_read" "$work/out/$name-before-after.png" --check-crc \
    --comment "Digital simulation, not an actual treatment result" \
    --comment "Before/after composite made with gimp-smp" \
    --comment "made by plug-in-smp-density: look shaved-healed" \
    --xmp "photoshop:Instructions=Digital simulation, not an actual treatment result" \
    --xmp "dc:description=Digital simulation, not an actual treatment result" \
    --xmp "xmp:CreatorTool=gimp-smp" \
    --xmp "iptcExt:DigitalSourceType=/digitalsourcetype/compositeSynthetic" \
    || fail "the disclosure in $name-before-after.png's metadata"
  # written by GEGL, the disclosure added by the batch: the same texts
  "$meta_read" "$work/out/$name-smp.png" --check-crc \
    --comment "Digital simulation, not an actual treatment result" \
    --comment "on the photo $name.png" \
    --comment "made by plug-in-smp-density: look shaved-healed" \
    --xmp "photoshop:Instructions=Digital simulation, not an actual treatment result" \
    --xmp "dc:description=Digital simulation, not an actual treatment result" \
    --xmp "xmp:CreatorTool=gimp-smp" \
    --xmp "iptcExt:DigitalSourceType=/digitalsourcetype/compositeSynthetic" \
    || fail "the disclosure in $name-smp.png's metadata"
done
[ ! -e "$work/out/d-corrupt-smp.png" ] || fail "a result for the corrupt photo"
[ ! -e "$work/out/e-missing-smp.png" ] || fail "a result for the missing photo"
[ ! -e "$work/out/b-dark-mask-smp.png" ] || fail "the mask taken for a photo"
[ "$(ls "$work/out" | wc -l)" = 6 ] || fail "not 6 files written: $(ls "$work/out")"
"$checker" tone "$in/a-light.png" "$work/out/a-light-smp.png" || fail "a-light-smp.png's tone"
# 1 mm (10 px) reaches past the largest dot's core, halo and softness
"$checker" masked "$in/b-dark.png" "$work/out/b-dark-smp.png" 150 100 100 80 10 \
  || fail "b-dark-smp.png changed beyond its mask"
(cd "$in" && sha256sum -c --quiet "$work/sums") || fail "a photo or mask in the folder changed"

# no composites: the results only
"$command" "$in" "$work/out-bare" "$work/settings.ini" --no-composites >"$work/bare.log" 2>&1 \
  || { cat "$work/bare.log"; fail "--no-composites"; }
[ "$(ls "$work/out-bare" | wc -l)" = 3 ] || fail "--no-composites wrote $(ls "$work/out-bare")"

# bad settings: refused, the key named, nothing written (the other
# refusals of the same reader, a value out of range, an unknown look and
# no scale, are the test batch-settings's, without a GIMP start each)
printf '[plug-in-smp-density]\npx-per-mm=10\ndensty=90\n' > "$work/unknown.ini"
if "$command" "$in" "$work/out-unknown" "$work/unknown.ini" >"$work/unknown.log" 2>&1; then
  cat "$work/unknown.log"
  fail "settings with an unknown key not refused"
fi
grep "unknown key 'densty'" "$work/unknown.log" \
  || { cat "$work/unknown.log"; fail "the refusal names no key"; }
[ -z "$(ls -A "$work/out-unknown" 2>/dev/null)" ] || fail "settings with an unknown key wrote files"
(cd "$in" && sha256sum -c --quiet "$work/sums") || fail "a photo or mask in the folder changed"
echo "PASS: plug-in-smp-batch in $gimp"
