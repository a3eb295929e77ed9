/* smp-match: the values that make simulated SMP look like the client's
 * own stubble, for the smp: operations on the command line.
 *
 *   smp-match PHOTO STUBBLE.png AREA.png --px-per-mm 5 [--look shaved-healed]
 *             [--photo-blur 0.6]
 *
 * STUBBLE.png is white on the client's own stubble (sides or back), AREA.png
 * white on the bare scalp to treat, both the photo's size.  It prints what
 * it measured on standard error, and on standard output the properties to
 * give smp:stipple or smp:hairline, e.g.
 *
 *   gegl photo.jpg -o out.png -- smp:stipple px-per-mm=5 $(smp-match ...) \
 *        aux=[ gegl:load path=AREA.png ]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <gegl.h>

#include "smp-match-read.h"

int
main (int argc, char **argv)
{
  static const gchar *const looks[] = { "custom", "shaved-healed", "shaved-1-guard",
                                        "dusty", "defined", NULL };
  gdouble         px_per_mm = 0.0, photo_blur = 0.6;
  gchar          *look_name = NULL;
  GOptionEntry    entries[] = {
    { "px-per-mm", 0, 0, G_OPTION_ARG_DOUBLE, &px_per_mm, N_("Image scale, pixels per mm (1-200)"), "N" },
    { "look", 0, 0, G_OPTION_ARG_STRING, &look_name, N_("The look whose dots to use (default shaved-healed)"), "LOOK" },
    { "photo-blur", 0, 0, G_OPTION_ARG_DOUBLE, &photo_blur, N_("The photo's own blur in px (default 0.6)"), "PX" },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (N_("PHOTO STUBBLE-MASK AREA-MASK"));
  GError         *error = NULL;
  GeglBuffer     *photo, *stubble, *area;
  const SmpLook  *look;
  SmpMatch        match;
  gint            look_id = 1, i;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    _("Prints the smp: properties that make the area to treat look like the "
      "client's own stubble at a distance (its tone) and up close (its grain)."));
  if (! g_option_context_parse (context, &argc, &argv, &error) || argc != 4)
    {
      gchar *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s\n%s", error ? error->message : _("Give a photo and two masks."), help);
      g_free (help);
      g_clear_error (&error);
      g_option_context_free (context);
      return 2;
    }
  g_option_context_free (context);
  if (! (px_per_mm >= 1.0 && px_per_mm <= 200.0) || ! (photo_blur >= 0.0 && photo_blur <= 5.0))
    {
      g_printerr (_("--px-per-mm must be 1-200 (ppi / 25.4) and --photo-blur 0-5.\n"));
      return 2;
    }
  for (i = 0; look_name && looks[i]; i++)
    if (! strcmp (look_name, looks[i]))
      look_id = i;
  if (look_name && strcmp (look_name, looks[look_id]))
    {
      g_printerr (_("Unknown look '%s'.\n"), look_name);
      g_free (look_name);
      return 2;
    }
  g_free (look_name);

  gegl_init (&argc, &argv);
  photo = smp_match_load (argv[1]);
  stubble = smp_match_load (argv[2]);
  area = smp_match_load (argv[3]);
  if (! photo || ! stubble || ! area)
    {
      g_printerr (_("Cannot read %s.\n"), ! photo ? argv[1] : ! stubble ? argv[2] : argv[3]);
      return 1;
    }
  if (! smp_match_buffers (photo, stubble, area, px_per_mm, look_id, photo_blur, &match, &error))
    {
      g_printerr ("%s\n", error->message);
      g_error_free (error);
      return 1;
    }
  look = smp_look_preset (look_id);
  g_printerr (_("stubble: %.1f %% darker than the bare skin at a distance, grain %.4f "
                "(bare skin %.4f); matched: %.0f dots/cm², shade %.3f, grain %.4f\n"),
              100.0 * match.shade, match.reference.grain, match.bare.grain,
              match.density_per_cm2, match.shade, match.grain);
  printf ("look=custom density=%.1f shade=%.4f dot-diameter=%.3f size-variation=%.2f "
          "darkness=%.3f darkness-variation=%.2f softness=%.3f halo=%.3f photo-blur=%.2f\n",
          match.density_per_cm2, match.shade, look->dot_diameter_mm, look->size_variation,
          match.darkness, look->darkness_variation, look->softness_mm, look->halo_mm,
          photo_blur);
  g_object_unref (photo);
  g_object_unref (stubble);
  g_object_unref (area);
  gegl_exit ();
  return 0;
}
