# Sourced by the GIMP tests (plugin.sh, batch.sh): picks the gimp-console
# for MAJOR (SMP_GIMP_CONSOLE overrides it; exit 77, SKIP, without one),
# makes the work folder $work (removed on exit unless SMP_KEEP_WORK=1, to
# look at what GIMP made) and a fresh HOME in it with its own GIMP profile
# holding the plug-in $plugin and the op module $module, so no user's
# settings or older install take part.
#
#   . gimp-home.sh NAME      (with $major, $module and $plugin set)
if [ "$major" = 3 ]; then
  gimp=${SMP_GIMP_CONSOLE:-gimp-console-3.0}
else
  gimp=${SMP_GIMP_CONSOLE:-gimp-console-2.10}
fi
if ! command -v "$gimp" >/dev/null; then
  echo "SKIP: $gimp not found"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
[ -n "${SMP_KEEP_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
home=$work/home
if [ "$major" = 3 ]; then
  profile=$home/.config/GIMP/3.0
else
  profile=$home/.config/GIMP/2.10
fi
mkdir -p "$home/.local/share/gegl-0.4/plug-ins" "$profile/plug-ins/gimp-smp" "$work/tmp"
# GIMP 2.10 complains on exit about data folders that do not exist
for d in brushes dynamics fonts gradients mypaint-brushes palettes patterns tool-presets; do
  mkdir -p "$profile/$d"
done
cp "$module" "$home/.local/share/gegl-0.4/plug-ins/"
cp "$plugin" "$profile/plug-ins/gimp-smp/"
unset GEGL_PATH GIMP3_DIRECTORY GIMP2_DIRECTORY XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME
export HOME=$home TMPDIR=$work/tmp
