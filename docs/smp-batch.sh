#!/usr/bin/env bash
# The batch command from the user guide: the Density procedure on every
# photo of a folder, headless, with GIMP's own plug-in, in one GIMP start.
#
#   docs/smp-batch.sh IN_DIR OUT_DIR SETTINGS_FILE [--no-composites]
#
# For each IN_DIR/*.jpg, *.jpeg, *.png, *.tif (sorted by name) it calls
# plug-in-smp-batch: the photo at the settings file's scale (px-per-mm),
# Density with the settings file's values on a new layer (the photo's own
# pixels are not touched; NAME-mask.png beside a photo, white = treat, is
# its region), written to OUT_DIR/NAME-smp.png and, unless --no-composites,
# the default before/after layout to OUT_DIR/NAME-before-after.png.  A
# photo GIMP cannot load is told by name and skipped.  The settings file:
#
#   [plug-in-smp-density]
#   px-per-mm=10
#   look=shaved-healed
#   seed=1
#
# any key being one of plug-in-smp-density's arguments (see the user
# guide).  Each result is a digital simulation: label it as such wherever
# it is shown (each file's comment and XMP say so, as a layout's do).  Uses gimp-console-3.0 where there is one, else
# gimp-console-2.10 (override with SMP_GIMP_CONSOLE).  Exits 0 when the
# batch ran (even with photos skipped), 1 when it did not.
set -euo pipefail

usage="usage: $0 IN_DIR OUT_DIR SETTINGS_FILE [--no-composites]"
[ $# -eq 3 ] || [ $# -eq 4 ] || { echo "$usage" >&2; exit 2; }
composites=1
if [ $# -eq 4 ]; then
  [ "$4" = --no-composites ] || { echo "$usage" >&2; exit 2; }
  composites=0
fi
[ -d "$1" ] || { echo "no folder $1" >&2; exit 2; }
[ -f "$3" ] || { echo "no settings file $3" >&2; exit 2; }
in_dir=$(realpath "$1")
out_dir=$(realpath -m "$2")
settings=$(realpath "$3")

gimp=${SMP_GIMP_CONSOLE:-$(command -v gimp-console-3.0 || command -v gimp-console-2.10 || true)}
[ -n "$gimp" ] || { echo "no gimp-console found" >&2; exit 1; }

# a path as a Script-Fu string
quote() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

log=$(mktemp "${TMPDIR:-/tmp}/smp-batch.XXXXXX")
trap 'rm -f "$log"' EXIT
status=0
if [[ $gimp == *3.0* ]]; then
  flag=FALSE
  [ "$composites" = 1 ] && flag=TRUE
  "$gimp" -i --batch-interpreter=plug-in-script-fu-eval --quit \
    -b "(plug-in-smp-batch #:run-mode RUN-NONINTERACTIVE #:in-folder $(quote "$in_dir")
          #:out-folder $(quote "$out_dir") #:settings $(quote "$settings") #:composites $flag)" \
    2>&1 | tee "$log" || status=$?
else
  flag=FALSE
  [ "$composites" = 1 ] && flag=TRUE
  "$gimp" -i -d -f \
    -b "(plug-in-smp-batch RUN-NONINTERACTIVE $(quote "$in_dir") $(quote "$out_dir") $(quote "$settings") $flag)" \
    -b '(gimp-quit 0)' 2>&1 | tee "$log" || status=$?
fi
# the plug-in's last line says it ran; GIMP's exit status does not always
grep -q '^plug-in-smp-batch: [0-9]* done, [0-9]* skipped' "$log" || exit 1
exit "$status"
