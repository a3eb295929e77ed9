/* gimp-smp: the photo's scale, a property of every smp: operation with
 * the same name, range and default (smp-look-properties.h takes it for
 * the ops that draw dots; smp:scalp-mask has no look).  Included inside a
 * GEGL_PROPERTIES section (it is read once per pass of GEGL's property
 * macros, so it has no include guard). */
property_double (px_per_mm, _("Image scale (px/mm)"), 10.0)
  description (_("Pixels per millimetre of scalp in the photo "
                 "(the image resolution in ppi / 25.4)"))
  value_range (1.0, 200.0)
  ui_range    (2.0, 60.0)
  ui_gamma    (2.0)
