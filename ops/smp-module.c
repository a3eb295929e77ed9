/* gimp-smp: the GEGL module that registers every smp: operation. */
#define _GNU_SOURCE             /* dladdr */
#include "config.h"

#if defined (__unix__) || defined (__APPLE__)
#define SMP_HAVE_DLADDR 1
#include <dlfcn.h>
#endif

#include <gegl.h>
#include <gegl-plugin.h>

void gegl_op_smp_stipple_register_type (GTypeModule *module);
void gegl_op_smp_hairline_register_type (GTypeModule *module);
void gegl_op_smp_scar_conceal_register_type (GTypeModule *module);
void gegl_op_smp_scalp_mask_register_type (GTypeModule *module);
void gegl_op_smp_thicken_register_type (GTypeModule *module);

static const GeglModuleInfo smp_module_info =
{
  GEGL_MODULE_ABI_VERSION
};

G_MODULE_EXPORT const GeglModuleInfo *gegl_module_query    (GTypeModule *module);
G_MODULE_EXPORT gboolean              gegl_module_register (GTypeModule *module);

G_MODULE_EXPORT const GeglModuleInfo *
gegl_module_query (GTypeModule *module)
{
  return &smp_module_info;
}

/* The file this copy of the module was loaded from, or NULL. */
static gchar *
smp_module_path (void)
{
#ifdef SMP_HAVE_DLADDR
  Dl_info info;

  /* a static function: the exported ones resolve to GEGL's own */
  if (dladdr ((gpointer) smp_module_path, &info) && info.dli_fname)
    return g_strdup (info.dli_fname);
#endif
  return NULL;
}

/* GEGL loads every module it finds: with a system and a user install (or a
 * GEGL_PATH that names both), this module is loaded twice, and the second
 * copy's types would clash with the first's in GLib's critical warnings.
 * The copies cannot share a static flag, but they share the type system:
 * the first copy leaves its file's name on its stipple type, and a later
 * copy that finds the type registers nothing and says once which copy is
 * used. */
static GType
smp_module_first_type (void)
{
  /* the name GEGL gives smp:stipple's type: "gegl_op_smp_stipple" in GEGL
   * 0.4.62, "GeglOpsmp-stipple_c" in 0.4.42 */
  static const gchar *const names[] = { "gegl_op_smp_stipple", "GeglOpsmp-stipple_c" };
  guint                     i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_type_from_name (names[i]))
      return g_type_from_name (names[i]);
  return 0;
}

G_MODULE_EXPORT gboolean
gegl_module_register (GTypeModule *module)
{
  GQuark quark_path = g_quark_from_string ("gimp-smp-module-path");
  GQuark quark_told = g_quark_from_string ("gimp-smp-module-told");
  GType  first = smp_module_first_type ();

  /* GEGL unloads a module when unused and loads it again later: then the
   * types are this copy's own, to register again */
  if (first && g_type_get_plugin (first) != G_TYPE_PLUGIN (module))
    {
      if (! g_type_get_qdata (first, quark_told))
        {
          const gchar *used = g_type_get_qdata (first, quark_path);
          gchar       *here = smp_module_path ();

          g_message ("gimp-smp: GEGL found the module twice (a system and a user install?). "
                     "It uses %s and ignores %s. Remove the copy you do not want.",
                     used ? used : "the copy it loaded first",
                     here ? here : "the other");
          g_free (here);
          g_type_set_qdata (first, quark_told, GINT_TO_POINTER (1));
        }
      return TRUE;
    }

  gegl_op_smp_stipple_register_type (module);
  /* never freed: it is the type's for the life of the process */
  if (! first && smp_module_first_type ())
    g_type_set_qdata (smp_module_first_type (), quark_path, smp_module_path ());
  gegl_op_smp_hairline_register_type (module);
  gegl_op_smp_scar_conceal_register_type (module);
  gegl_op_smp_scalp_mask_register_type (module);
  gegl_op_smp_thicken_register_type (module);
  return TRUE;
}
