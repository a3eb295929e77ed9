/* bench-stipple: how fast smp:stipple (and the ops built on it: hairline,
 * scar-conceal, thicken) renders a full-size photo, and how
 * much memory it needs, next to two of GEGL's own operations measured in
 * the same run.
 *
 * Absolute speeds depend on the machine; the ratios to gegl:invert-linear
 * (a trivial point filter, bound by format conversion) and to
 * gegl:gaussian-blur (a real area filter) are what carry over.  This is a
 * benchmark, not a test: it reports, it never fails on a time.
 *
 *   bench-stipple [--module-dir DIR] [--size WxH] [--seed N] [--runs N]
 *   bench-stipple --single CASE [--warm] ...
 *
 * The module folder may also come from $SMP_MODULE_DIR.  --single is how
 * the program measures memory: it runs itself once per case, so that each
 * peak RSS belongs to one render in a process of its own.  A smaller
 * --size is handy under perf or valgrind.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gegl.h>

#include "bench-photo.h"

#define OUTPUT_FORMAT BENCH_PHOTO_FORMAT

/* Changed pixels are counted per block, so that a render that silently
 * skipped part of the image shows up. */
#define CHECK_BLOCK 200

typedef struct
{
  const gchar *name;        /* for --single and the tables */
  const gchar *operation;   /* NULL: no operation, buffers only */
  gdouble      px_per_mm;   /* smp:stipple; 0 keeps the default */
  gdouble      density;     /* smp:stipple; 0 keeps the default */
  gdouble      std_dev;     /* gegl:gaussian-blur */
  gboolean     timed;
  gboolean     half_mask;   /* aux: a mask covering the top half */
  gboolean     scar_mask;   /* aux: a strip scar over about 5 % of the image */
  gboolean     hair;        /* the photo with thin dark strands over it */
} BenchCase;

enum
{
  CASE_BASELINE,
  CASE_STIPPLE,
  CASE_STIPPLE_SCALE,
  CASE_STIPPLE_DENSE,
  CASE_HAIRLINE,
  CASE_SCAR,
  CASE_THICKEN,
  CASE_INVERT,
  CASE_BLUR,
  N_CASES
};

static const BenchCase cases[N_CASES] =
{
  { "baseline",          NULL,                 0.0,   0.0, 0.0, FALSE, FALSE, FALSE },
  { "stipple",           "smp:stipple",        0.0,   0.0, 0.0, TRUE,  FALSE, FALSE },
  { "stipple-40px/mm",   "smp:stipple",        40.0,  0.0, 0.0, TRUE,  FALSE, FALSE },
  { "stipple-200/cm2",   "smp:stipple",        0.0, 200.0, 0.0, TRUE,  FALSE, FALSE },
  { "hairline-half",     "smp:hairline",       0.0,   0.0, 0.0, TRUE,  TRUE,  FALSE },
  { "scar-5%",           "smp:scar-conceal",   0.0,   0.0, 0.0, TRUE,  FALSE, TRUE  },
  { "thicken-half",      "smp:thicken",        0.0,   0.0, 0.0, TRUE,  TRUE,  FALSE, TRUE },
  { "invert-linear",     "gegl:invert-linear", 0.0,   0.0, 0.0, TRUE,  FALSE, FALSE },
  { "gaussian-blur",     "gegl:gaussian-blur", 0.0,   0.0, 2.0, TRUE,  FALSE, FALSE },
};

/* The stipple seed is explicit: the default is a random seed, and a
 * different layout each run would be a different workload. */
#define STIPPLE_SEED 1

static gchar   *opt_module_dir = NULL;
static gchar   *opt_single = NULL;
static gboolean opt_warm = FALSE;
static gchar   *opt_size = NULL;
static gint     opt_seed = 1;
static gint     opt_runs = 3;

static GOptionEntry options[] =
{
  { "module-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_module_dir,
    "Folder with the gimp-smp GEGL module (default: $SMP_MODULE_DIR)", "DIR" },
  { "size", 0, 0, G_OPTION_ARG_STRING, &opt_size,
    "Image size (default 6000x4000)", "WxH" },
  { "seed", 0, 0, G_OPTION_ARG_INT, &opt_seed,
    "Seed of the generated photo (default 1)", "N" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs,
    "Timed runs per operation; the median is reported (default 3)", "N" },
  { "single", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_single,
    "Render one case once and print the peak RSS", "CASE" },
  { "warm", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_warm,
    "With --single: render a small crop first", NULL },
  { NULL }
};

#define WARM_SIZE 512

/* ---- rendering ---------------------------------------------------------- */

static GeglNode *
add_operation (GeglNode        *graph,
               const BenchCase *bc)
{
  GeglNode *node = gegl_node_new_child (graph, "operation", bc->operation, NULL);

  if (g_str_has_prefix (bc->operation, "smp:"))
    {
      gegl_node_set (node, "seed", STIPPLE_SEED, NULL);
      if (bc->px_per_mm > 0.0)
        gegl_node_set (node, "px-per-mm", bc->px_per_mm, NULL);
      if (bc->density > 0.0)
        gegl_node_set (node, "density", bc->density, NULL);
    }
  else if (bc->std_dev > 0.0)
    gegl_node_set (node, "std-dev-x", bc->std_dev, "std-dev-y", bc->std_dev, NULL);
  return node;
}

/* A coverage mask over the top half, its edge a gentle curve across the
 * middle: the hairline case's planned line, 6000 px long. */
static GeglBuffer *
half_mask (const GeglRectangle *extent)
{
  GeglBuffer *mask = gegl_buffer_new (extent, babl_format ("Y float"));
  gfloat     *row = g_new (gfloat, extent->width);
  gint        x, y;

  for (y = 0; y < extent->height; y++)
    {
      for (x = 0; x < extent->width; x++)
        {
          gdouble edge = extent->height / 2.0 + 0.05 * extent->height * sin (x * 6.28 / extent->width);

          row[x] = (gfloat) CLAMP (edge - y, 0.0, 1.0);
        }
      gegl_buffer_set (mask, GEGL_RECTANGLE (extent->x, extent->y + y, extent->width, 1), 0,
                       babl_format ("Y float"), row, GEGL_AUTO_ROWSTRIDE);
    }
  g_free (row);
  return mask;
}

/* A scar mask: a strip across the image, bending like an FUT scar round
 * the back of the head, 5 % of the image wide so it covers about 5 % of
 * it, with an antialiased edge. */
static GeglBuffer *
scar_mask (const GeglRectangle *extent)
{
  GeglBuffer *mask = gegl_buffer_new (extent, babl_format ("Y float"));
  gfloat     *row = g_new (gfloat, extent->width);
  gdouble     half = 0.025 * extent->height;
  gint        x, y;

  for (y = 0; y < extent->height; y++)
    {
      for (x = 0; x < extent->width; x++)
        {
          gdouble centre = 0.6 * extent->height
                           + 0.08 * extent->height * cos (x * 6.28 / extent->width);

          row[x] = (gfloat) CLAMP (half + 0.5 - fabs (y + 0.5 - centre), 0.0, 1.0);
        }
      gegl_buffer_set (mask, GEGL_RECTANGLE (extent->x, extent->y + y, extent->width, 1), 0,
                       babl_format ("Y float"), row, GEGL_AUTO_ROWSTRIDE);
    }
  g_free (row);
  return mask;
}

/* CPU seconds of every thread of this process so far. */
static gdouble
process_cpu_seconds (void)
{
  struct timespec t;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* Renders @input through the case's operation into a new buffer and
 * returns the wall-clock seconds, the CPU seconds in @cpu.  A fresh graph every time: a node's
 * cache from an earlier run would otherwise turn a render into a copy. */
static gdouble
render (GeglBuffer       *input,
        const BenchCase  *bc,
        GeglBuffer      **result,
        gdouble          *cpu)
{
  const GeglRectangle *extent = gegl_buffer_get_extent (input);
  GeglBuffer          *output = gegl_buffer_new (extent, babl_format (OUTPUT_FORMAT));
  GeglNode            *graph = gegl_node_new ();
  GeglNode            *source, *op, *sink;
  gint64               start, end;
  gdouble              cpu_start;

  source = gegl_node_new_child (graph, "operation", "gegl:buffer-source",
                                "buffer", bc->hair ? hair_over (input) : input, NULL);
  op = add_operation (graph, bc);
  if (bc->half_mask || bc->scar_mask)
    {
      GeglBuffer *mask = bc->half_mask ? half_mask (extent) : scar_mask (extent);
      GeglNode   *aux = gegl_node_new_child (graph, "operation", "gegl:buffer-source",
                                             "buffer", mask, NULL);

      gegl_node_connect_to (aux, "output", op, "aux");
      g_object_unref (mask);
    }
  sink = gegl_node_new_child (graph, "operation", "gegl:write-buffer",
                              "buffer", output, NULL);
  gegl_node_link_many (source, op, sink, NULL);

  cpu_start = process_cpu_seconds ();
  start = g_get_monotonic_time ();
  gegl_node_process (sink);
  end = g_get_monotonic_time ();
  if (cpu)
    *cpu = process_cpu_seconds () - cpu_start;

  g_object_unref (graph);
  if (result)
    *result = output;
  else
    g_object_unref (output);
  return (end - start) / 1e6;
}

/* What the baseline holds: the photo and a fully written output buffer of
 * the same size.  A plain copy could share tiles copy-on-write, so the
 * bytes are written through an iterator. */
static GeglBuffer *
copy_by_hand (GeglBuffer *input)
{
  const GeglRectangle *extent = gegl_buffer_get_extent (input);
  const Babl          *format = babl_format (OUTPUT_FORMAT);
  GeglBuffer          *output = gegl_buffer_new (extent, format);
  GeglBufferIterator  *it;

  it = gegl_buffer_iterator_new (output, extent, 0, format,
                                 GEGL_ACCESS_WRITE, GEGL_ABYSS_NONE, 2);
  gegl_buffer_iterator_add (it, input, extent, 0, format,
                            GEGL_ACCESS_READ, GEGL_ABYSS_NONE);
  while (gegl_buffer_iterator_next (it))
    memcpy (it->items[0].data, it->items[1].data, (gsize) it->length * 4);
  return output;
}

typedef struct
{
  guint64 checksum;
  gdouble changed;          /* share of pixels that differ from the input */
  gint    blocks;
  gint    blocks_unchanged; /* blocks with no changed pixel at all */
} Inspection;

/* Proves that the whole output was computed: a checksum that must agree
 * between runs (the result may not depend on threads or tiling), and the
 * changed pixels per block. */
static Inspection
inspect (GeglBuffer *input,
         GeglBuffer *output)
{
  const GeglRectangle *extent = gegl_buffer_get_extent (input);
  const Babl          *format = babl_format (OUTPUT_FORMAT);
  gint                 width = extent->width, height = extent->height;
  gint                 bw = (width + CHECK_BLOCK - 1) / CHECK_BLOCK;
  gsize                strip_bytes = (gsize) width * CHECK_BLOCK * 4;
  guint8              *a = g_malloc (strip_bytes), *b = g_malloc (strip_bytes);
  gint                *counts = g_new (gint, bw);
  Inspection           r = { 0xcbf29ce484222325ULL, 0.0, 0, 0 };
  guint64              changed = 0;
  gint                 y0;

  for (y0 = 0; y0 < height; y0 += CHECK_BLOCK)
    {
      GeglRectangle strip = { extent->x, extent->y + y0, width,
                              MIN (CHECK_BLOCK, height - y0) };
      gsize         n = (gsize) strip.width * strip.height, i;
      gint          k;

      gegl_buffer_get (input, &strip, 1.0, format, a, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      gegl_buffer_get (output, &strip, 1.0, format, b, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
      memset (counts, 0, sizeof (gint) * bw);
      for (i = 0; i < n; i++)
        {
          guint32 pa, pb;

          memcpy (&pa, a + 4 * i, 4);
          memcpy (&pb, b + 4 * i, 4);
          r.checksum = (r.checksum ^ pb) * 0x100000001b3ULL;
          if (pa != pb)
            counts[(i % width) / CHECK_BLOCK]++;
        }
      for (k = 0; k < bw; k++)
        {
          changed += counts[k];
          r.blocks++;
          if (counts[k] == 0)
            r.blocks_unchanged++;
        }
    }
  r.changed = (gdouble) changed / ((gdouble) width * height);
  g_free (a);
  g_free (b);
  g_free (counts);
  return r;
}

/* ---- memory ------------------------------------------------------------- */

/* A field of /proc/self/status in KiB (VmHWM: peak RSS, VmRSS).  Read by
 * the child itself rather than through getrusage (RUSAGE_CHILDREN) in the
 * parent: Linux carries the pre-exec RSS of the forked image over into the
 * child's ru_maxrss, and RUSAGE_CHILDREN is a maximum over all children
 * so far. */
static glong
status_kib (const gchar *field)
{
  gchar  *status = NULL;
  glong   kib = -1;
  gchar  *line;

  if (! g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line)
    kib = strtol (line + strlen (field), NULL, 10);
  g_free (status);
  return kib;
}

/* Bytes in this process's GEGL swap files: GEGL moves tiles to disk once
 * its tile cache is full, and then a render also measures the disk. */
static gint64
swap_bytes (void)
{
  gchar       *folder = NULL, *prefix;
  GDir        *dir;
  const gchar *name;
  gint64       total = 0;

  g_object_get (gegl_config (), "swap", &folder, NULL);
  if (! folder || ! g_path_is_absolute (folder) || ! (dir = g_dir_open (folder, 0, NULL)))
    {
      g_free (folder);
      return 0;
    }
  prefix = g_strdup_printf ("gegl-swap-%d-", (gint) getpid ());
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, prefix))
      {
        gchar  *path = g_build_filename (folder, name, NULL);
        GStatBuf st;

        if (g_stat (path, &st) == 0)
          total += st.st_size;
        g_free (path);
      }
  g_dir_close (dir);
  g_free (prefix);
  g_free (folder);
  return total;
}

/* gegl_init alone peaks at a few hundred MiB (babl times its lookup
 * tables on a 256 MiB scratch area, then frees it), far above what a
 * small render needs; resetting the high-water mark (Linux >= 4.0) keeps
 * that out of every row. */
static gboolean
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");

  if (! file)
    return FALSE;
  if (fputs ("5", file) < 0)
    {
      fclose (file);
      return FALSE;
    }
  return fclose (file) == 0;
}

static gint
run_single (const BenchCase *bc,
            gint             width,
            gint             height)
{
  GeglBuffer *input, *output;
  gboolean    reset;
  glong       start;

  /* babl builds large lookup tables (256 MiB for R'G'B'A u8 to RGBA
   * float) once a conversion has carried 32768 pixels, when its start-up
   * timing says a table is faster; they stay for the process (until five
   * minutes unused).  A session that has already converted pixels has
   * them, so the warm figure, counted from after a small render, is the
   * operation's own working memory. */
  if (opt_warm && bc->operation)
    {
      GeglBuffer *small = make_photo (MIN (width, WARM_SIZE), MIN (height, WARM_SIZE),
                                      (guint32) opt_seed);

      render (small, bc, NULL, NULL);
      g_object_unref (small);
    }
  reset = reset_peak_rss ();
  start = status_kib ("VmRSS:");

  input = make_photo (width, height, (guint32) opt_seed);
  if (bc->operation)
    render (input, bc, &output, NULL);
  else
    output = copy_by_hand (input);
  /* read back, so that nothing the render deferred escapes the peak */
  inspect (bc->hair ? hair_over (input) : input, output);
  printf ("peak-rss-kib %ld start-rss-kib %ld reset %d\n",
          status_kib ("VmHWM:"), start, reset);
  g_object_unref (output);
  g_object_unref (input);
  hair_over (NULL);
  return 0;
}

/* Runs this program again for one case and returns the child's peak. */
typedef struct
{
  glong peak;    /* KiB, VmHWM since the reset */
  glong growth;  /* KiB, VmHWM over the RSS at the reset; -1: failed */
} PeakMemory;

static PeakMemory
measure_in_child (const gchar     *self,
                  const BenchCase *bc,
                  gboolean         warm,
                  gint             width,
                  gint             height,
                  const gchar     *module_dir,
                  gboolean        *reset)
{
  gchar  *size = g_strdup_printf ("%dx%d", width, height);
  gchar  *seed = g_strdup_printf ("%d", opt_seed);
  gchar  *argv[] = { (gchar *) self, "--single", (gchar *) bc->name,
                     "--size", size, "--seed", seed,
                     "--module-dir", (gchar *) module_dir,
                     warm ? "--warm" : NULL, NULL };
  gchar  *out = NULL;
  gint    status = 0;
  GError *error = NULL;
  PeakMemory memory = { -1, -1 };
  gchar  *line;

  if (! g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                      &out, NULL, &status, &error))
    {
      g_printerr ("bench-stipple: cannot run %s: %s\n", self, error->message);
      g_clear_error (&error);
    }
  else if (! g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("bench-stipple: child for %s failed: %s\n", bc->name, error->message);
      g_clear_error (&error);
    }
  else if ((line = strstr (out, "peak-rss-kib ")))
    {
      glong peak, start;

      if (sscanf (line, "peak-rss-kib %ld start-rss-kib %ld", &peak, &start) == 2)
        {
          memory.peak = peak;
          memory.growth = peak - start;
        }
      if (! strstr (line, "reset 1"))
        *reset = FALSE;
    }
  g_free (out);
  g_free (size);
  g_free (seed);
  return memory;
}

/* ---- report ------------------------------------------------------------- */

static int
compare_doubles (const void *a,
                 const void *b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

static gdouble
median (const gdouble *values,
        gint           n)
{
  gdouble *sorted = g_memdup2 (values, sizeof (gdouble) * n);
  gdouble  m;

  qsort (sorted, n, sizeof (gdouble), compare_doubles);
  m = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  g_free (sorted);
  return m;
}

/* GEGL's default tile cache (512 MiB) is smaller than gaussian-blur's
 * float intermediates at 24 MP, and then its times include writing tiles
 * to the swap file: a yardstick that measures the disk.  GIMP sets its own
 * cache from its preferences, far above that on any machine with the RAM;
 * so does this program, unless GEGL_CACHE_SIZE (MiB) says otherwise. */
static void
raise_tile_cache (void)
{
  guint64 cache = 0;
  guint64 wanted = (guint64) 2 << 30;
  guint64 ram = (guint64) sysconf (_SC_PHYS_PAGES) * (guint64) sysconf (_SC_PAGESIZE);

  if (g_getenv ("GEGL_CACHE_SIZE"))
    return;
  g_object_get (gegl_config (), "tile-cache-size", &cache, NULL);
  wanted = MIN (wanted, ram / 2);
  if (wanted > cache)
    g_object_set (gegl_config (), "tile-cache-size", wanted, NULL);
}

/* Other processes on the machine make the times noisy; the report says
 * how busy it was. */
static const gchar *
load_average (void)
{
  static gchar text[64];
  gchar       *contents = NULL;
  gchar      **fields;

  g_strlcpy (text, "?", sizeof text);
  if (g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    {
      fields = g_strsplit (contents, " ", 4);
      if (g_strv_length (fields) >= 3)
        g_snprintf (text, sizeof text, "%s %s %s", fields[0], fields[1], fields[2]);
      g_strfreev (fields);
    }
  g_free (contents);
  return text;
}

static const gchar *
config_string (const gchar *property)
{
  static gchar  text[256];
  GValue        value = G_VALUE_INIT;
  GParamSpec   *spec = g_object_class_find_property (G_OBJECT_GET_CLASS (gegl_config ()),
                                                     property);
  gchar        *s;

  if (! spec)
    return "?";
  g_value_init (&value, spec->value_type);
  g_object_get_property (G_OBJECT (gegl_config ()), property, &value);
  s = G_VALUE_HOLDS_STRING (&value) ? g_value_dup_string (&value)
                                    : g_strdup_value_contents (&value);
  g_strlcpy (text, s ? s : "(none)", sizeof text);
  g_free (s);
  g_value_unset (&value);
  return text;
}

int
main (int    argc,
      char **argv)
{
  GOptionContext *context;
  GError         *error = NULL;
  const gchar    *module_dir;
  gchar          *self;
  gint            width = 6000, height = 4000;
  gint            major, minor, micro, bmajor, bminor, bmicro;
  gint            threads = 0;
  gdouble         times[N_CASES][64], medians[N_CASES] = { 0 };
  /* the CPU time of all threads: on a busy machine it says more than
   * the wall clock, which other processes stretch unevenly */
  gdouble         cpu_times[N_CASES][64], cpu_medians[N_CASES] = { 0 };
  PeakMemory      cold[N_CASES], warm[N_CASES];
  gboolean        reset = TRUE;
  Inspection      seen[N_CASES];
  guint64         first_sum[N_CASES];
  gboolean        stable[N_CASES];
  glong           warm_growth = 0;
  const gchar    *spilled_first = NULL;
  gint64          swap_total;
  gdouble         mp;
  gint            i, run;
  gint64          bench_start = g_get_monotonic_time ();

  gegl_init (&argc, &argv);

  context = g_option_context_new ("- benchmark smp:stipple against GEGL yardsticks");
  g_option_context_add_main_entries (context, options, NULL);
  if (! g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-stipple: %s\n", error->message);
      return 2;
    }
  g_option_context_free (context);
  if (opt_size && sscanf (opt_size, "%dx%d", &width, &height) != 2)
    width = height = 0;
  if (width <= 0 || height <= 0 || opt_runs < 1 || opt_runs > 64)
    {
      g_printerr ("bench-stipple: bad --size or --runs\n");
      return 2;
    }

  module_dir = opt_module_dir ? opt_module_dir : g_getenv ("SMP_MODULE_DIR");
  if (! module_dir)
    {
      g_printerr ("bench-stipple: no module folder (--module-dir or SMP_MODULE_DIR)\n");
      return 2;
    }
  raise_tile_cache ();
  gegl_load_module_directory (module_dir);
  for (i = 0; i < N_CASES; i++)
    if (cases[i].operation && ! gegl_has_operation (cases[i].operation))
      {
        g_printerr ("bench-stipple: operation %s not found (module folder %s)\n",
                    cases[i].operation, module_dir);
        return 2;
      }

  if (opt_single)
    {
      for (i = 0; i < N_CASES; i++)
        if (! strcmp (cases[i].name, opt_single))
          {
            gint status = run_single (&cases[i], width, height);

            fflush (stdout);
            /* also removes a swap file this process may have written */
            gegl_exit ();
            return status;
          }
      g_printerr ("bench-stipple: no case %s\n", opt_single);
      return 2;
    }

  /* argv[0] may be relative to a folder we are no longer in */
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (! self)
    self = g_strdup (argv[0]);

  g_object_get (gegl_config (), "threads", &threads, NULL);
  gegl_get_version (&major, &minor, &micro);
  mp = (gdouble) width * height / 1e6;

  printf ("bench-stipple: smp:stipple against GEGL built-in operations\n\n");
  babl_get_version (&bmajor, &bminor, &bmicro);
  printf ("  GEGL %d.%d.%d, babl %d.%d.%d, %d CPU(s), GEGL threads: %d\n",
          major, minor, micro, bmajor, bminor, bmicro, g_get_num_processors (), threads);
  /* config_string has one static buffer: one call per printf */
  printf ("  tile %sx", config_string ("tile-width"));
  printf ("%s, ", config_string ("tile-height"));
  printf ("chunk-size %s px, ", config_string ("chunk-size"));
  printf ("tile-cache-size %s bytes%s\n", config_string ("tile-cache-size"),
          g_getenv ("GEGL_CACHE_SIZE") ? " (from GEGL_CACHE_SIZE)"
                                       : " (raised from GEGL's 512 MiB,\n"
                                         "  as GIMP's own setting would)");
  printf ("  image %dx%d (%.1f MP), %s in and out, photo seed %d, stipple seed %d\n",
          width, height, mp, OUTPUT_FORMAT, opt_seed, STIPPLE_SEED);
  printf ("  module folder %s\n", module_dir);
  printf ("  load average at start: %s\n", load_average ());
  if (g_getenv ("MALLOC_PERTURB_"))
    printf ("  warning: MALLOC_PERTURB_ is set; every malloc and free pays for it\n");
  printf ("\n");
  fflush (stdout);

  /* Memory first, while this process is still small: each case in a
   * process of its own, so that one case's caches and freed-but-kept heap
   * do not show up in the next. */
  printf ("Peak memory (peak RSS of a process of its own, one render, %dx%d):\n",
          width, height);
  fflush (stdout);
  for (i = 0; i < N_CASES; i++)
    {
      cold[i] = measure_in_child (self, &cases[i], FALSE, width, height,
                                  module_dir, &reset);
      warm[i] = cases[i].operation
                ? measure_in_child (self, &cases[i], TRUE, width, height,
                                    module_dir, &reset)
                : cold[i];
    }
  printf ("  %-18s %10s %12s %12s\n", "case", "peak MiB", "cold extra", "warm extra");
  for (i = 0; i < N_CASES; i++)
    {
      printf ("  %-18s", cases[i].name);
      if (cold[i].growth < 0 || warm[i].growth < 0 || cold[CASE_BASELINE].growth < 0)
        printf (" %10s\n", "failed");
      else if (i == CASE_BASELINE)
        printf (" %10.1f %12s %12s\n", cold[i].peak / 1024.0, "-", "-");
      else
        printf (" %10.1f %+12.1f %+12.1f\n", cold[i].peak / 1024.0,
                (cold[i].growth - cold[CASE_BASELINE].growth) / 1024.0,
                (warm[i].growth - cold[CASE_BASELINE].growth) / 1024.0);
    }
  printf ("  baseline: the photo (%.0f MiB of pixels) plus a fully written output\n"
          "  buffer, no operation.  peak: the first render in a fresh process, counted\n"
          "  from after gegl_init%s.\n"
          "  extra: the peak's growth over the baseline's.  cold: the first render in\n"
          "  the process, with the lookup tables babl may build once per process (256\n"
          "  MiB for u8 to float, twice at once when two threads race for it); warm:\n"
          "  after a %dx%d render of the same case, the operation's own memory.\n\n",
          (gdouble) width * height * 4 / (1024.0 * 1024.0),
          reset ? "" : " (WARNING: resetting the peak failed: gegl_init's own peak is in)",
          WARM_SIZE, WARM_SIZE);
  fflush (stdout);

  {
    GeglBuffer    *input = make_photo (width, height, (guint32) opt_seed);
    GeglRectangle  small = { 0, 0, MIN (width, WARM_SIZE), MIN (height, WARM_SIZE) };
    GeglBuffer    *warm = gegl_buffer_create_sub_buffer (input, &small);
    glong          rss_before = status_kib ("VmRSS:");

    /* one small untimed render per operation: class setup, babl fish
     * creation, babl's lookup tables and the thread pool start are not
     * what is measured */
    for (i = 0; i < N_CASES; i++)
      if (cases[i].timed)
        render (warm, &cases[i], NULL, NULL);
    g_object_unref (warm);
    warm_growth = status_kib ("VmRSS:") - rss_before;

    /* Runs interleaved, so that a slow moment of the machine hits every
     * operation alike and the ratios stay fair. */
    for (run = 0; run < opt_runs; run++)
      for (i = 0; i < N_CASES; i++)
        {
          GeglBuffer *output;
          gint64      swapped;

          if (! cases[i].timed)
            continue;
          swapped = swap_bytes ();
          times[i][run] = render (input, &cases[i], &output, &cpu_times[i][run]);
          if (swap_bytes () > swapped && ! spilled_first)
            spilled_first = cases[i].name;
          if (run == 0)
            {
              seen[i] = inspect (cases[i].hair ? hair_over (input) : input, output);
              first_sum[i] = seen[i].checksum;
              stable[i] = TRUE;
            }
          else if (inspect (cases[i].hair ? hair_over (input) : input, output).checksum != first_sum[i])
            stable[i] = FALSE;
          g_object_unref (output);
        }
    g_object_unref (input);
  }

  for (i = 0; i < N_CASES; i++)
    if (cases[i].timed)
      {
        medians[i] = median (times[i], opt_runs);
        cpu_medians[i] = median (cpu_times[i], opt_runs);
      }

  printf ("Render time (wall clock, %d run%s each, interleaved; median reported):\n",
          opt_runs, opt_runs > 1 ? "s" : "");
  printf ("  %-18s %-23s %8s %7s %8s %8s %8s  %s\n", "case", "runs (s)", "median s",
          "MP/s", "/invert", "/blur", "changed", "whole image, same each run");
  for (i = 0; i < N_CASES; i++)
    {
      GString *runs = g_string_new (NULL);

      if (! cases[i].timed)
        continue;
      for (run = 0; run < opt_runs; run++)
        g_string_append_printf (runs, "%s%.3f", run ? " " : "", times[i][run]);
      printf ("  %-18s %-23s %8.3f %7.1f %8.2f %8.2f %7.1f%%  %s%s\n",
              cases[i].name, runs->str, medians[i], mp / medians[i],
              medians[i] / medians[CASE_INVERT], medians[i] / medians[CASE_BLUR],
              100.0 * seen[i].changed,
              cases[i].half_mask || cases[i].scar_mask ? "n/a (masked)"
              : seen[i].blocks_unchanged ? "NO: untouched blocks" : "yes",
              stable[i] ? "" : ", BUT CHECKSUM DIFFERS BETWEEN RUNS");
      if (seen[i].blocks_unchanged && ! cases[i].half_mask && ! cases[i].scar_mask)
        printf ("  %-18s   %d of %d blocks of %dx%d px unchanged\n", "",
                seen[i].blocks_unchanged, seen[i].blocks, CHECK_BLOCK, CHECK_BLOCK);
      g_string_free (runs, TRUE);
    }
  printf ("  (/invert, /blur: median time over that of gegl:invert-linear, "
          "gegl:gaussian-blur std-dev 2;\n"
          "   changed: pixels that differ from the photo)\n");
  printf ("CPU time (all threads of this process, same runs; median reported):\n");
  printf ("  %-18s %8s %8s %8s\n", "case", "median s", "/invert", "/blur");
  for (i = 0; i < N_CASES; i++)
    if (cases[i].timed)
      printf ("  %-18s %8.3f %8.2f %8.2f\n", cases[i].name, cpu_medians[i],
              cpu_medians[i] / cpu_medians[CASE_INVERT], cpu_medians[i] / cpu_medians[CASE_BLUR]);
  /* Both shift the yardsticks between machines and even between runs, so
   * the report says which way they went. */
  printf ("  babl: RSS grew %.0f MiB during the warm-up renders, so %s\n",
          warm_growth / 1024.0,
          warm_growth > 200 * 1024
          ? "it built lookup tables\n"
            "  (256 MiB each) for u8 to float: u8 conversions here are table look-ups"
          : "it built no lookup table\n"
            "  for u8 to float (its start-up timing decided against one): u8\n"
            "  conversions here are computed, which slows every case");
  swap_total = swap_bytes ();
  if (swap_total > 0)
    printf ("  GEGL swap file: %.0f MiB, first written during %s: the tile cache\n"
            "  (%s bytes) overflowed and those times include disk writes;\n"
            "  a larger GEGL_CACHE_SIZE (MiB) keeps everything in memory\n",
            swap_total / (1024.0 * 1024.0), spilled_first ? spilled_first : "the warm-up",
            config_string ("tile-cache-size"));
  else
    printf ("  GEGL swap file: not used (everything fit in the tile cache)\n");
  printf ("\n");

  {
    gdouble to_invert = medians[CASE_STIPPLE] / medians[CASE_INVERT];
    gdouble to_blur = medians[CASE_STIPPLE] / medians[CASE_BLUR];

    /* "well below" the blur is read as at most half its time */
    printf ("Targets (smp:stipple at defaults):\n");
    printf ("  time <= 1.5 x gegl:invert-linear      measured %5.2f x  %s\n",
            to_invert, to_invert <= 1.5 ? "met" : "NOT MET");
    printf ("  time well below gegl:gaussian-blur    measured %5.2f x  %s\n",
            to_blur, to_blur <= 0.5 ? "met" : to_blur < 1.0 ? "below, not well below"
                                                            : "NOT MET");
    printf ("  in CPU time (steadier on a busy machine): %.2f x invert-linear, "
            "%.2f x gaussian-blur\n", cpu_medians[CASE_STIPPLE] / cpu_medians[CASE_INVERT],
            cpu_medians[CASE_STIPPLE] / cpu_medians[CASE_BLUR]);
    printf ("Target (smp:hairline, mask over half the image):\n");
    printf ("  time <= 2 x gegl:gaussian-blur        measured %5.2f x  %s\n",
            medians[CASE_HAIRLINE] / medians[CASE_BLUR],
            medians[CASE_HAIRLINE] <= 2.0 * medians[CASE_BLUR] ? "met" : "NOT MET");
    printf ("Target (smp:scar-conceal, a strip scar over about 5 %% of the image):\n");
    printf ("  time <= 1.5 x gegl:gaussian-blur      measured %5.2f x  %s\n",
            medians[CASE_SCAR] / medians[CASE_BLUR],
            medians[CASE_SCAR] <= 1.5 * medians[CASE_BLUR] ? "met" : "NOT MET");
    printf ("Target (smp:thicken, thinning hair, region over half the image):\n");
    printf ("  time <= 2 x gegl:gaussian-blur        measured %5.2f x  %s\n",
            medians[CASE_THICKEN] / medians[CASE_BLUR],
            medians[CASE_THICKEN] <= 2.0 * medians[CASE_BLUR] ? "met" : "NOT MET");
    printf ("  (reported, never asserted: a benchmark does not fail on a time)\n\n");
  }

  printf ("Load average at the end: %s\n", load_average ());
  printf ("Total benchmark time %.1f s\n", (g_get_monotonic_time () - bench_start) / 1e6);
  g_free (self);
  fflush (stdout);
  hair_over (NULL);
  gegl_exit ();
  return 0;
}
