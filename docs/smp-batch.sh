#!/usr/bin/env bash
# Batch example from the user guide: the shaved look on every photo of a
# folder, at a known scale, with GIMP's own plug-in and no window.
#
#   docs/smp-batch.sh IN_DIR OUT_DIR PPI [DENSITY]
#
# For each IN_DIR/*.jpg, *.jpeg and *.png it sets the resolution to PPI
# (use the real scale of those photos: ppi = px per mm × 25.4), runs
# plug-in-smp-density on the whole layer (the result goes on a new layer;
# the photo's own pixels are not touched) and exports the image to
# OUT_DIR/NAME-smp.png.  Each one is a digital simulation: label it as
# such wherever it is shown.  Uses gimp-console-3.0 where there is one,
# else gimp-console-2.10 (override with SMP_GIMP_CONSOLE).
set -euo pipefail

in_dir=$(realpath "$1")
out_dir=$(realpath -m "$2")
ppi=$3
density=${4:-90}
mkdir -p "$out_dir"

gimp=${SMP_GIMP_CONSOLE:-$(command -v gimp-console-3.0 || command -v gimp-console-2.10 || true)}
[ -n "$gimp" ] || { echo "no gimp-console found" >&2; exit 1; }

forms=""
shopt -s nullglob nocaseglob
for photo in "$in_dir"/*.jpg "$in_dir"/*.jpeg "$in_dir"/*.png; do
  name=$(basename "${photo%.*}")
  out="$out_dir/$name-smp.png"
  if [[ $gimp == *3.0* ]]; then
    forms+="
(let* ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$photo\")))
       (d (vector-ref (car (gimp-image-get-layers img)) 0)))
  (gimp-image-set-resolution img $ppi $ppi)
  (plug-in-smp-density #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d)
                       #:density $density.0 #:seed 1)
  (gimp-file-save RUN-NONINTERACTIVE img \"$out\" #f)
  (gimp-image-delete img))"
  else
    forms+="
(let* ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$photo\" \"$photo\")))
       (d (car (gimp-image-get-active-drawable img))))
  (gimp-image-set-resolution img $ppi $ppi)
  (plug-in-smp-density RUN-NONINTERACTIVE img d $density.0 0.15 0.25 0.7 0.15 '(61 62 66) 0.25 0.03 0.3 0.5 1)
  (let ((merged (car (gimp-image-merge-visible-layers img CLIP-TO-IMAGE))))
    (file-png-save-defaults RUN-NONINTERACTIVE img merged \"$out\" \"$out\"))
  (gimp-image-delete img))"
  fi
  echo "$photo -> $out"
done
[ -n "$forms" ] || { echo "no photos in $in_dir" >&2; exit 1; }

if [[ $gimp == *3.0* ]]; then
  "$gimp" -i --batch-interpreter=plug-in-script-fu-eval --quit -b "(begin $forms)"
else
  "$gimp" -i -d -f -b "(begin $forms)" -b '(gimp-quit 0)'
fi
