#!/usr/bin/env bash
# Remakes the user guide's screenshots with the real GIMP 3 under Xvfb.
#
#   docs/capture-screenshots.sh BUILD_DIR [OUT_DIR]
#
# BUILD_DIR is a meson build made against GIMP 3 (libgimp-3.0); it needs
# xvfb-run, xdotool and ImageMagick's import.  For each procedure it opens
# the sample photo, prepares what a designer would (a scale, a selection,
# a path), starts the procedure interactively, waits for its dialog and
# its live preview, and photographs the dialog; then it presses OK and
# photographs GIMP with the new layer, presses Ctrl+Z once and photographs
# GIMP again, to show that one undo step takes the whole result away.
# Before/After Layout makes a new image: its dialog and that image only.
set -euo pipefail

build=$(realpath "$1")
out=$(realpath -m "${2:-$(dirname "$0")/screenshots}")
src=$(cd "$(dirname "$0")/.." && pwd)
sample=$src/docs/data/sample-scalp.jpg
mkdir -p "$out"

work=$(mktemp -d "${TMPDIR:-/tmp}/smp-shots.XXXXXX")
trap 'rm -rf "$work"' EXIT
home=$work/home
mkdir -p "$home/.local/share/gegl-0.4/plug-ins" "$home/.config/GIMP/3.0/plug-ins/gimp-smp" "$work/tmp"
cp "$build/ops/gimp-smp.so" "$home/.local/share/gegl-0.4/plug-ins/"
cp "$build/plugin/gimp-smp" "$home/.config/GIMP/3.0/plug-ins/gimp-smp/"
unset GEGL_PATH GIMP3_DIRECTORY XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME
export HOME=$home TMPDIR=$work/tmp

# One GIMP session per procedure: NAME, dialog title, Script-Fu that
# prepares the image (img is the image, d its layer) and calls it, and
# "new-image" for a procedure that makes a new image (nothing to undo in
# the photo's: no undo shots).
shoot() {
  local name=$1 title=$2 prepare=$3 call=$4 kind=${5:-}
  # SMP_SHOTS="density hairline" remakes only those
  [[ " ${SMP_SHOTS:-density hairline conceal-scar thicken set-scale before-after} " == *" $name "* ]] || return 0
  cat >"$work/session.sh" <<EOF
set -u
# a script's image starts with its undo history off; a user's has it on
gimp-3.0 -n --no-splash --batch-interpreter=plug-in-script-fu-eval -b '
(let* ((img (car (gimp-file-load RUN-NONINTERACTIVE "$sample")))
       (d (vector-ref (car (gimp-image-get-layers img)) 0)))
  (gimp-image-undo-enable img)
  (gimp-image-set-resolution img 121.92 121.92)
  $prepare
  (gimp-image-clean-all img)
  (gimp-display-new img)
  $call)' >"$work/gimp-$name.log" 2>&1 &
gimp=\$!
# the dialog, then time for its preview to render
dialog=\$(xdotool search --sync --onlyvisible --name "$title" | head -n 1)
sleep 6
import -window "\$dialog" "$out/$name-dialog.png"
# no window manager here: press OK with the mouse (bottom right)
eval \$(xdotool getwindowgeometry --shell "\$dialog")
xdotool mousemove --window "\$dialog" \$((WIDTH - 60)) \$((HEIGHT - 40)) click 1
sleep 8
import -window root "$out/$name-result.png"
if [ "$kind" = new-image ]; then
  convert "$out/$name-result.png" -trim +repage "$out/$name-result.png"
  kill \$gimp 2>/dev/null || true
  wait \$gimp 2>/dev/null || true
  exit 0
fi
# without a window manager no window gets keyboard focus, so undo the
# way a mouse would: Edit, then its first item, "Undo ..."
main=\$(xdotool search --onlyvisible --name "GNU Image Manipulation Program" | head -n 1)
xdotool mousemove --window "\$main" 59 12 click 1
sleep 1
import -window root "$out/$name-undo-menu.png"
xdotool mousemove --window "\$main" 110 40 click 1
sleep 3
import -window root "$out/$name-undone.png"
# the screen is larger than GIMP's window: keep GIMP
for shot in result undo-menu undone; do
  convert "$out/$name-\$shot.png" -trim +repage "$out/$name-\$shot.png"
done
kill \$gimp 2>/dev/null || true
wait \$gimp 2>/dev/null || true
EOF
  timeout 180 xvfb-run -a -s "-screen 0 1600x1300x24" bash "$work/session.sh" || true
  echo "$name: $(ls "$out" | grep -c "^$name-") screenshots"
}

shoot density "Shaved Look" \
  '(gimp-image-select-ellipse img CHANNEL-OP-REPLACE 150 20 500 360)
   (gimp-selection-feather img 60)' \
  '(plug-in-smp-density #:run-mode RUN-INTERACTIVE #:image img #:drawables (vector d))'

shoot hairline "Hairline" \
  '(let* ((p (car (gimp-path-new img "hairline")))
          (s (car (gimp-path-bezier-stroke-new-moveto p 120 190))))
     (gimp-path-bezier-stroke-lineto p s 400 140)
     (gimp-path-bezier-stroke-lineto p s 680 190)
     (gimp-image-insert-path img p 0 0)
     (gimp-image-set-selected-paths img (vector p)))' \
  '(plug-in-smp-hairline #:run-mode RUN-INTERACTIVE #:image img #:drawables (vector d)
     #:path (vector-ref (car (gimp-image-get-paths img)) 0))'

shoot conceal-scar "Conceal Scar" \
  '(gimp-image-select-rectangle img CHANNEL-OP-REPLACE 250 80 300 40)
   (gimp-selection-feather img 5)' \
  '(plug-in-smp-conceal-scar #:run-mode RUN-INTERACTIVE #:image img #:drawables (vector d))'

shoot thicken "Thicken Thinning Hair" \
  '(gimp-image-select-ellipse img CHANNEL-OP-REPLACE 250 40 300 200)
   (gimp-selection-feather img 40)' \
  '(plug-in-smp-thicken #:run-mode RUN-INTERACTIVE #:image img #:drawables (vector d))'

shoot set-scale "Set Scale" \
  '(let* ((p (car (gimp-path-new img "head width")))
          (s (car (gimp-path-bezier-stroke-new-moveto p 40 300))))
     (gimp-path-bezier-stroke-lineto p s 760 300)
     (gimp-image-insert-path img p 0 0))' \
  '(plug-in-smp-set-scale #:run-mode RUN-INTERACTIVE #:image img #:drawables (vector d)
     #:path (vector-ref (car (gimp-image-get-paths img)) 0) #:length-mm 150.0)'

shoot before-after "Before/After Layout" \
  '(plug-in-smp-density #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector d))
   (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 200 20 400 300)' \
  '(plug-in-smp-before-after #:run-mode RUN-INTERACTIVE #:image img #:drawables (vector d))' \
  new-image

ls -l "$out"
