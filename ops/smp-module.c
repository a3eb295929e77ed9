/* gimp-smp: the GEGL module that registers every smp: operation. */
#include "config.h"

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

G_MODULE_EXPORT gboolean
gegl_module_register (GTypeModule *module)
{
  gegl_op_smp_stipple_register_type (module);
  gegl_op_smp_hairline_register_type (module);
  gegl_op_smp_scar_conceal_register_type (module);
  gegl_op_smp_scalp_mask_register_type (module);
  gegl_op_smp_thicken_register_type (module);
  return TRUE;
}
