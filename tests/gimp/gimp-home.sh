# Sourced by the GIMP tests (plugin.sh, batch.sh, args.sh, batch-bench.sh,
# gimp3-filter.sh): picks the gimp-console
# for MAJOR (SMP_GIMP_CONSOLE overrides it; exit 77, SKIP, without one),
# makes the work folder $work (removed on exit unless SMP_KEEP_WORK=1, to
# look at what GIMP made) and a fresh HOME in it with its own GIMP profile
# holding the plug-in $plugin and the op module $module, so no user's
# settings or older install take part (its pluginrc aside: see
# gimp_home_seed_pluginrc).
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
# no $plugin: the op module alone (gimp3-filter.sh)
[ -z "$plugin" ] || cp "$plugin" "$profile/plug-ins/gimp-smp/"
unset GEGL_PATH GIMP3_DIRECTORY GIMP2_DIRECTORY XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME

# GIMP's first start in a new profile asks every one of its ~100 plug-ins
# what it registers (6 s of CPU for GIMP 2.10, 11 s for GIMP 3), a cost
# each GIMP test paid again.  SMP_GIMP_SEED (a folder of the build) holds
# the pluginrc of one such start with GIMP's own plug-ins only, made once
# by whichever test comes first; each profile starts from it, as at a
# user's second start.  gimp-smp is not in it: GIMP still queries it as
# newly installed, each time.
gimp_home_seed_pluginrc() {
  local seed=${SMP_GIMP_SEED:-} seed_home rc=${profile#"$home/"}/pluginrc
  if [ -z "$seed" ]; then
    rm -f "$profile/pluginrc"
    return
  fi
  mkdir -p "$seed"
  (
    flock 9
    if [ ! -s "$seed/pluginrc" ]; then
      seed_home=$(mktemp -d "${TMPDIR:-/tmp}/smp-gimp-seed.XXXXXX")
      mkdir -p "$(dirname "$seed_home/$rc")"
      if [ "$major" = 3 ]; then
        HOME=$seed_home TMPDIR=$seed_home timeout -k 10 300 "$gimp" -i \
          --batch-interpreter=plug-in-script-fu-eval --quit -b '(gimp-message "seed")' \
          >"$seed/gimp.log" 2>&1 || true
      else
        HOME=$seed_home TMPDIR=$seed_home timeout -k 10 300 "$gimp" -i -d -f \
          -b '(gimp-quit 0)' >"$seed/gimp.log" 2>&1 || true
      fi
      # written whole or not at all: a test running beside sees either
      if [ -s "$seed_home/$rc" ]; then
        cp "$seed_home/$rc" "$seed/pluginrc.new"
        mv "$seed/pluginrc.new" "$seed/pluginrc"
      fi
      rm -rf "$seed_home"
    fi
  ) 9>"$seed/lock"
  # no seed (GIMP failed to make one): the test starts cold, as before
  if [ -s "$seed/pluginrc" ]; then
    cp "$seed/pluginrc" "$profile/pluginrc"
  else
    rm -f "$profile/pluginrc"
  fi
}
gimp_home_seed_pluginrc
export HOME=$home TMPDIR=$work/tmp
