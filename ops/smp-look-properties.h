/* gimp-smp: the look of the SMP impressions, shared by every smp:
 * operation that draws dots, so each takes the same properties with the
 * same names, ranges and defaults.  Included inside a GEGL_PROPERTIES
 * section (it is read once per pass of GEGL's property macros, so it has
 * no include guard). */
property_double (px_per_mm, _("Image scale (px/mm)"), 10.0)
  description (_("Pixels per millimetre of scalp in the photo "
                 "(the image resolution in ppi / 25.4)"))
  value_range (1.0, 200.0)
  ui_range    (2.0, 60.0)
  ui_gamma    (2.0)

property_double (density, _("Density (dots/cm²)"), 90.0)
  description (_("Impressions per square centimetre where the mask is "
                 "white; natural scalps hold 65-110 follicular units/cm²"))
  value_range (5.0, 250.0)
  ui_range    (10.0, 200.0)

property_double (dot_diameter, _("Dot diameter (mm)"), 0.15)
  description (_("Mean diameter of a healed impression; above 0.4 mm a "
                 "dot reads as a blow-out"))
  value_range (0.03, 1.0)
  ui_range    (0.05, 0.5)
  ui_digits   (3)

property_double (size_variation, _("Size variation"), 0.25)
  description (_("Coefficient of variation of the dot diameter; equal "
                 "dots look printed"))
  value_range (0.0, 0.6)

property_double (darkness, _("Darkness"), 0.7)
  description (_("Share of the skin's light a dot's core absorbs: the "
                 "default puts a healed dot about 25 L* below light skin"))
  value_range (0.0, 1.0)

property_double (darkness_variation, _("Darkness variation"), 0.15)
  description (_("Coefficient of variation of each dot's darkness"))
  value_range (0.0, 0.5)

property_color  (pigment, _("Pigment"), "#3d3e42")
  description (_("Colour of the diluted carbon pigment at full strength "
                 "on white skin: a charcoal, not pure black"))

property_double (cool_shift, _("Cool shift"), 0.25)
  description (_("Blue-grey tinge of pigment seen through skin (Tyndall "
                 "effect); high values look like pigment placed too deep"))
  value_range (0.0, 1.0)

property_double (softness, _("Softness (mm)"), 0.03)
  description (_("Ink diffusion at the dot edge"))
  value_range (0.0, 0.3)
  ui_digits   (3)

property_double (clustering, _("Clustering"), 0.3)
  description (_("Share of dots placed in groups of 2-3, like follicular "
                 "units"))
  value_range (0.0, 1.0)

property_double (regularity, _("Regularity"), 0.5)
  description (_("Spacing: 0 is random (Poisson), 0.5 the quasi-regular "
                 "spacing of natural SMP (Clark-Evans R about 1.5), 1 the "
                 "most even"))
  value_range (0.0, 1.0)

property_seed   (seed, _("Random seed"), rand)

