/* gimp-smp: the look of the SMP impressions, shared by every smp:
 * operation that draws dots, so each takes the same properties with the
 * same names, ranges and defaults.  Included inside a GEGL_PROPERTIES
 * section (it is read once per pass of GEGL's property macros, so it has
 * no include guard).
 *
 * The order is the plug-in's: its procedures take these properties as
 * arguments in this order (px-per-mm and the sessions' aside).  A new
 * property goes at the end of this file, or the positional arguments of
 * GIMP 2.10's callers shift.
 *
 * Each op gets an enum type of its own for `look` (GLib cannot register
 * one type name twice in a module), named from GEGL_OP_NAME. */
#define SMP_LOOK_CAT_(a, b)  a ## b
#define SMP_LOOK_CAT(a, b)   SMP_LOOK_CAT_ (a, b)
#define SMP_LOOK_ENUM_START(n)  enum_start (n)
#define SMP_LOOK_ENUM_END(n)    enum_end (n)
#define SMP_LOOK_PROPERTY(name, label, e, en, def) property_enum (name, label, e, en, def)

SMP_LOOK_ENUM_START (SMP_LOOK_CAT (GEGL_OP_NAME, _look))
  enum_value (SMP_LOOK_CUSTOM,         "custom",         N_("Custom (the values below)"))
  enum_value (SMP_LOOK_SHAVED_HEALED,  "shaved-healed",  N_("Shaved, healed (0-guard buzz cut)"))
  enum_value (SMP_LOOK_SHAVED_1_GUARD, "shaved-1-guard", N_("Shaved, 1 guard"))
  enum_value (SMP_LOOK_DUSTY,          "dusty",          N_("Dusty (soft, small, light)"))
  enum_value (SMP_LOOK_DEFINED,        "defined",        N_("Defined (crisp, visible dots)"))
SMP_LOOK_ENUM_END (SMP_LOOK_CAT (SmpLook_, GEGL_OP_NAME))

SMP_LOOK_ENUM_START (SMP_LOOK_CAT (GEGL_OP_NAME, _stage))
  enum_value (SMP_STAGE_HEALED_VALUE, "healed", N_("Healed"))
  enum_value (SMP_STAGE_FRESH_VALUE,  "fresh",  N_("Fresh (the first days)"))
  enum_value (SMP_STAGE_FADED_VALUE,  "faded",  N_("Faded (years on)"))
SMP_LOOK_ENUM_END (SMP_LOOK_CAT (SmpStage_, GEGL_OP_NAME))

#include "smp-scale-property.h"

SMP_LOOK_PROPERTY (look, _("Look"), SMP_LOOK_CAT (SmpLook_, GEGL_OP_NAME),
                   SMP_LOOK_CAT (GEGL_OP_NAME, _look), SMP_LOOK_SHAVED_HEALED)
  description (_("What the treatment looks like: each look sets the "
                 "density, the dots and the shade at a distance below; "
                 "custom uses them as set"))

property_double (shade, _("Shade at a distance"), 0.12)
  description (_("How much darker than bare skin the treated scalp looks "
                 "from a distance, as a share of its light (0.12 = 12 % "
                 "darker); it sets the pigment per impression.  0: the "
                 "crisp cores alone, no halo"))
  value_range (0.0, 0.6)
  ui_range    (0.0, 0.4)
  ui_meta     ("visible", "look {custom}")

property_double (density, _("Density (dots/cm²)"), 90.0)
  description (_("Impressions per square centimetre where the mask is "
                 "white; natural scalps hold 65-110 follicular units/cm²"))
  value_range (5.0, 400.0)
  ui_range    (10.0, 200.0)
  ui_meta     ("visible", "look {custom}")

property_double (dot_diameter, _("Dot diameter (mm)"), 0.15)
  description (_("Mean diameter of a healed impression; above 0.4 mm a "
                 "dot reads as a blow-out"))
  value_range (0.03, 1.0)
  ui_range    (0.05, 0.5)
  ui_digits   (3)
  ui_meta     ("visible", "look {custom}")

property_double (size_variation, _("Size variation"), 0.25)
  description (_("Coefficient of variation of the dot diameter; equal "
                 "dots look printed"))
  value_range (0.0, 0.6)
  ui_meta     ("visible", "look {custom}")

property_double (darkness, _("Darkness"), 0.7)
  description (_("Share of the skin's light a dot's core absorbs: the "
                 "default puts a healed dot about 25 L* below light skin"))
  value_range (0.0, 1.0)
  ui_meta     ("visible", "look {custom}")

property_double (darkness_variation, _("Darkness variation"), 0.15)
  description (_("Coefficient of variation of each dot's darkness"))
  value_range (0.0, 0.5)
  ui_meta     ("visible", "look {custom}")

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
  ui_meta     ("visible", "look {custom}")

property_double (halo, _("Halo (mm)"), 0.20)
  description (_("Width (standard deviation) of the soft, slightly cool "
                 "halo of pigment seen through the skin around each crisp "
                 "core; it carries most of the tone at a distance"))
  value_range (0.0, 1.0)
  ui_range    (0.0, 0.4)
  ui_digits   (3)
  ui_meta     ("visible", "look {custom}")

property_double (photo_blur, _("Photo blur (px)"), 0.6)
  description (_("How soft the photo itself is, in its own pixels (lens, "
                 "focus, demosaicing, JPEG): the dots are drawn no sharper "
                 "than the photo's finest detail, so they sit in it, not on "
                 "it.  0 draws them perfectly sharp"))
  value_range (0.0, 5.0)
  ui_range    (0.0, 2.0)

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
  description (_("Same seed, same dots"))

property_int    (sessions, _("Sessions"), 3)
  description (_("How many sessions the treatment takes (most clients "
                 "have 3)"))
  value_range (1, 4)

property_int    (session, _("After session"), 4)
  description (_("Show the result after this session: the first is light "
                 "and sparse, later ones add dots between the earlier ones "
                 "and go darker, up to the look after the last (a value "
                 "past the last session is the last)"))
  value_range (1, 4)

SMP_LOOK_PROPERTY (stage, _("Stage"), SMP_LOOK_CAT (SmpStage_, GEGL_OP_NAME),
                   SMP_LOOK_CAT (GEGL_OP_NAME, _stage), SMP_STAGE_HEALED_VALUE)
  description (_("Healed (the look as set), fresh (darker and larger, with "
                 "redness around the dots, for the first days) or faded "
                 "(lighter, spread and cooler, years on)"))
