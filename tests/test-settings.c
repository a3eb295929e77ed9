/* gimp-smp: the batch's settings file as the dialogs' Save Settings writes
 * it (plugin/smp-batch.c, GEGL only): what is written reads back to the
 * very values, and hand-made files with a typo, a value out of range, an
 * unknown look or no scale are refused. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gegl.h>

#include "smp-batch.h"
#include "smp-plugin.h"

/* Values far from the defaults, with numbers no short decimal holds
 * exactly (a rounding on the way would show), written and read back:
 * every argument equal to the bit, the colour to its 8 bits, the scale
 * too. */
static void
test_round_trip (void)
{
  const SmpProcedure *proc = smp_procedure_get (SMP_PROC_DENSITY);
  gchar              *dir = g_dir_make_tmp ("smp-settings-XXXXXX", NULL);
  gchar              *path = g_build_filename (dir, "settings.ini", NULL);
  gchar              *text = NULL;
  SmpValues           written, read;
  GError             *error = NULL;
  gdouble             px_per_mm = 0.0;
  guchar              a[3], b[3];
  gint                i, compared = 0;

  smp_values_init (proc, &written);
  smp_values_set_double (&written, SMP_ARG_ID_LOOK, 0);          /* custom */
  smp_values_set_double (&written, SMP_ARG_ID_DENSITY, 123.456789012345);
  smp_values_set_double (&written, SMP_ARG_ID_SHADE, 0.1 / 3.0);
  smp_values_set_double (&written, SMP_ARG_ID_DOT_DIAMETER, 0.1234567);
  smp_values_set_double (&written, SMP_ARG_ID_CLUSTERING, 2.0 / 3.0);
  g_object_unref (written.color[proc->index[SMP_ARG_ID_PIGMENT]]);
  written.color[proc->index[SMP_ARG_ID_PIGMENT]] = gegl_color_new ("#3a2b1c");
  g_assert_true (smp_batch_write_settings (path, &written, 4.8123456789, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "[plug-in-smp-density]"));
  g_assert_nonnull (strstr (text, "look=custom"));

  g_assert_true (smp_batch_read_settings (path, &read, &px_per_mm, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (px_per_mm, ==, 4.8123456789);
  for (i = 0; i < proc->n_args; i++)
    {
      const SmpArg *arg = &proc->args[i];

      if (arg->plugin_only)
        continue;
      if (arg->type == SMP_ARG_COLOR)
        {
          gegl_color_get_pixel (written.color[i], babl_format ("R'G'B' u8"), a);
          gegl_color_get_pixel (read.color[i], babl_format ("R'G'B' u8"), b);
          g_assert_cmpmem (a, 3, b, 3);
        }
      else
        g_assert_cmpfloat (read.number[i], ==, written.number[i]);
      compared++;
    }
  g_test_message ("%d arguments read back equal", compared);
  g_assert_cmpint (compared, >=, 14);
  smp_values_clear (&read);

  smp_values_clear (&written);
  g_unlink (path);
  g_rmdir (dir);
  g_free (text);
  g_free (path);
  g_free (dir);
}

/* Hand-made files the batch must refuse before it touches a photo, each
 * refusal naming the key at fault in words a user can act on.  (The
 * plugin-batch test runs one of them through GIMP.) */
static void
test_refused (void)
{
  static const struct
  {
    const gchar *lines;
    const gchar *said;
  } cases[] = {
    { "px-per-mm=10\ndensty=90\n", "unknown key 'densty'" },
    { "px-per-mm=10\ndensity=1e9\n", "density = 1e9 is out of range: 5 to 400" },
    { "px-per-mm=10\nlook=bald\n", "look = bald is none of custom" },
    { "look=dusty\n", "no px-per-mm" },
  };
  gchar *dir = g_dir_make_tmp ("smp-settings-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "settings.ini", NULL);
  guint  k;

  for (k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      gchar    *text = g_strconcat ("[plug-in-smp-density]\n", cases[k].lines, NULL);
      SmpValues read;
      GError   *error = NULL;
      gdouble   px_per_mm = 0.0;

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      g_assert_false (smp_batch_read_settings (path, &read, &px_per_mm, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[k].said));
      g_clear_error (&error);
      g_free (text);
    }
  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

int
main (int argc, char **argv)
{
  gint status;

  g_test_init (&argc, &argv, NULL);
  gegl_init (&argc, &argv);
  gegl_load_module_directory (g_getenv ("SMP_MODULE_DIR"));
  g_test_add_func ("/settings/round-trip", test_round_trip);
  g_test_add_func ("/settings/refused", test_refused);
  status = g_test_run ();
  gegl_exit ();
  return status;
}
