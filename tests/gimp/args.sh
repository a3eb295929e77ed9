#!/usr/bin/env bash
# Measure a of issue 12: the plug-in's procedures, as GIMP's PDB lists
# them, take each op property with the op's own name, range and default.
#
#   args.sh MAJOR CHECKER MODULE PLUGIN INSTALLED-MODULE-DIR
#
# GIMP 3 lists the arguments' GParamSpecs through Python (python-fu-eval);
# GIMP 2.10's PDB keeps only a type, name and description, which carries
# the range and default (the plug-in writes them there), read through
# Script-Fu.  CHECKER (smp-args-check) compares the listing with the ops'
# GParamSpecs and prints one line per argument.
#
# Then, without the module, the plug-in must still register and say on
# use what to install (unless INSTALLED-MODULE-DIR, where the plug-in
# looks for it, holds an installed copy).
set -euo pipefail

major=$1
checker=$(realpath "$2")
module=$(realpath "$3")
plugin=$(realpath "$4")
installed=$5
. "$(dirname "${BASH_SOURCE[0]}")/gimp-home.sh" smp-args

listing=$work/args.tsv
procs='plug-in-smp-density plug-in-smp-hairline plug-in-smp-conceal-scar plug-in-smp-thicken plug-in-smp-sessions'

if [ "$major" = 3 ]; then
  cat >"$work/list.py" <<EOF
from gi.repository import Gimp, GObject

def row(ps):
    kind = GObject.type_name(ps.__gtype__)
    if kind in ('GParamDouble', 'GParamInt'):
        return ['double' if kind == 'GParamDouble' else 'int',
                repr(ps.minimum), repr(ps.maximum), repr(ps.default_value)]
    if kind == 'GParamBoolean':
        return ['boolean', '0', '1', str(int(ps.default_value))]
    if kind == 'GimpParamChoice':
        nicks = Gimp.param_spec_choice_get_choice(ps).list_nicks()
        return ['choice', '', '', Gimp.param_spec_choice_get_default(ps), ','.join(nicks)]
    if kind == 'GimpParamColor':
        c = ps.get_default_value().get_rgba()
        return ['color', '', '', '%.6f,%.6f,%.6f,%.6f' % (c.red, c.green, c.blue, c.alpha)]
    return None

with open('$listing', 'w') as out:
    for name in '$procs'.split():
        for ps in Gimp.get_pdb().lookup_procedure(name).get_arguments():
            r = row(ps)
            if r:
                out.write('\t'.join([name, ps.name] + r) + '\n')
EOF
  batch="exec(open('$work/list.py').read())"
  interpreter=(--batch-interpreter=python-fu-eval --quit)
  style=gimp3
else
  batch="(let ((port (open-output-file \"$listing\"))
               (tab (string #\\tab)))
           (for-each
             (lambda (proc)
               (let loop ((i 3))
                 (if (< i (list-ref (gimp-procedural-db-proc-info proc) 6))
                     (let ((a (gimp-procedural-db-proc-arg proc i)))
                       (display (string-append proc tab (cadr a) tab (number->string (car a))
                                               tab (caddr a)) port)
                       (newline port)
                       (loop (+ i 1))))))
             (quote ($(for p in $procs; do printf '"%s" ' "$p"; done))))
           (close-output-port port))"
  interpreter=(-d -f -b '(gimp-quit 0)')
  style=gimp2
fi

start=$SECONDS
status=0
timeout -k 10 240 "$gimp" -i -b "$batch" "${interpreter[@]}" >"$work/gimp.log" 2>&1 || status=$?
echo "$gimp: exit $status after $((SECONDS - start)) s"
if [ "$status" -ne 0 ] || [ ! -s "$listing" ] || grep -q 'execution error\|calling error' "$work/gimp.log"; then
  echo "FAIL: GIMP listed no arguments"
  cat "$work/gimp.log"
  exit 1
fi
"$checker" "$(dirname "$module")" "$style" "$listing"

if [ -e "$installed/gimp-smp.so" ]; then
  echo "skip: without the module (an installed one is in $installed)"
  exit 0
fi
# GIMP registers the plug-in again when its pluginrc does not list it
rm -f "$home/.local/share/gegl-0.4/plug-ins/gimp-smp.so"
gimp_home_seed_pluginrc
if [ "$major" = 3 ]; then
  call='(plug-in-smp-density #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector l))'
  new_layer='(car (gimp-layer-new img "x" 64 64 RGB-IMAGE 100 LAYER-MODE-NORMAL))'
  interpreter=(--batch-interpreter=plug-in-script-fu-eval --quit)
else
  # registered without the module: run-mode, image, drawable, stubble
  call='(plug-in-smp-density RUN-NONINTERACTIVE img l -1)'
  new_layer='(car (gimp-layer-new img 64 64 RGB-IMAGE "x" 100 NORMAL-MODE))'
  interpreter=(-d -f -b '(gimp-quit 0)')
fi
batch="(let* ((img (car (gimp-image-new 64 64 RGB))) (l $new_layer))
         (gimp-image-insert-layer img l 0 0)
         $call)"
timeout -k 10 240 "$gimp" -i -b "$batch" "${interpreter[@]}" >"$work/gimp.log" 2>&1 || true
if ! grep -q "plug-in-smp-density failed: The gimp-smp GEGL module is not installed" "$work/gimp.log"; then
  echo "FAIL: without the module, plug-in-smp-density did not say what to install"
  cat "$work/gimp.log"
  exit 1
fi
echo "ok   without the module: registered, and on use: $(grep -o 'The gimp-smp GEGL module is not installed[^.]*' "$work/gimp.log" | head -n 1)"
