/* gimp-smp plug-in: Batch, the Density procedure over a folder of photos,
 * in GEGL only.
 *
 * The host (smp-gimp3.c, smp-gimp2.c) registers plug-in-smp-batch and
 * gives what needs GIMP: loading a file with GIMP's own loaders, and
 * exporting a layout with its comment and XMP as Before/After Layout's
 * image carries them.  Everything else (the settings file, the photos and
 * their masks, the result, the layout, writing the results, the progress)
 * is here, so both GIMPs do it alike.
 */
#ifndef SMP_BATCH_H
#define SMP_BATCH_H

#include <gegl.h>

#include "smp-plugin.h"

#define SMP_BATCH_PROC       "plug-in-smp-batch"
/* The settings file's group: the procedure whose arguments its keys are. */
#define SMP_BATCH_GROUP      "plug-in-smp-density"
/* The scale of the photos, in the settings file: a folder's photos rarely
 * carry a resolution anyone measured. */
#define SMP_BATCH_SCALE_KEY  "px-per-mm"
/* A photo's mask: NAME-mask.png beside NAME.jpg (white = treat). */
#define SMP_BATCH_MASK_SUFFIX "-mask"

/* Loads the photo @path as one layer (its visible layers merged), in a
 * buffer of the plug-in's own: the image GIMP made for it is deleted before this
 * returns, so memory does not grow from photo to photo.  NULL with @error
 * when GIMP cannot load it. */
typedef GeglBuffer * (* SmpBatchLoad)     (const gchar  *path,
                                           gpointer      data,
                                           GError      **error);
/* Tells the progress: @text for the photo at hand, @fraction done. */
typedef void         (* SmpBatchProgress) (const gchar  *text,
                                           gdouble       fraction,
                                           gpointer      data);

/* Reads the settings file @path into @values (of plug-in-smp-density,
 * initialised here) and @px_per_mm.  A missing file, a missing scale, an
 * unknown key or group, a value that is not one or out of its argument's
 * range: FALSE with @error naming the file and the key. */
/* Writes @values (of plug-in-smp-density) and @px_per_mm as a settings
 * file smp_batch_read_settings reads back to the same values: every
 * argument a file can name, numbers in their shortest exact form.  What
 * the dialogs' Save Settings button does.  FALSE with @error if the file
 * cannot be written. */
gboolean smp_batch_write_settings (const gchar        *path,
                                   const SmpValues    *values,
                                   gdouble             px_per_mm,
                                   GError            **error);
gboolean smp_batch_read_settings (const gchar        *path,
                                  SmpValues          *values,
                                  gdouble            *px_per_mm,
                                  GError            **error);

/* Runs the batch @job: every photo of its @in_dir (jpg, jpeg, png, tif,
 * tiff; sorted by name; not the masks) through Density with the settings
 * of @settings_path, written to @out_dir/NAME-smp.png and, if @composites,
 * the default before/after layout to @out_dir/NAME-before-after.png (both
 * written by GEGL, with the comment and XMP that say what they are).  A
 * photo that cannot be loaded or rendered is told by name and skipped.
 * FALSE with @error only when nothing can be done (bad settings, folders),
 * before any file is written; else the counts in @done and @skipped. */
typedef struct
{
  const gchar      *in_dir, *out_dir, *settings_path;
  gboolean          composites;
  SmpBatchLoad      load;
  SmpBatchProgress  progress;
  gpointer          data;               /* for @load and @progress */
} SmpBatchJob;
gboolean smp_batch_run           (const SmpBatchJob  *job,
                                  gint               *done,
                                  gint               *skipped,
                                  GError            **error);

/* The pieces of a photo's run, for the batch benchmark's bare run to do
 * the same work without GIMP.
 *
 * smp_batch_photos: the photos of @in_dir the batch does, in its order
 * (the names, sorted; not the masks); NULL with @error when the folder
 * cannot be read.  Free with g_ptr_array_free (photos, TRUE). */
GPtrArray  *smp_batch_photos     (const gchar          *in_dir,
                                  GError              **error);
/* An SmpBatchLoad with GEGL's loaders (gegl:load). */
GeglBuffer *smp_batch_gegl_load  (const gchar          *path,
                                  gpointer              data,
                                  GError              **error);
/* The photo's mask, IN_DIR/STEM-mask.png, read by GEGL, as the Density
 * op's region ("Y float", white = treat); NULL and no error when there is
 * none, NULL with @error when it cannot be read or is not the photo's
 * @extent. */
GeglBuffer *smp_batch_mask       (const gchar          *in_dir,
                                  const gchar          *stem,
                                  const GeglRectangle  *extent,
                                  GError              **error);
/* Density with @values over the photo @source within @mask (may be
 * NULL): the result on a layer of its own, in the photo's precision (8-bit
 * stays 8-bit, as in GIMP's image); NULL with @error if it fails. */
GeglBuffer *smp_batch_render     (const SmpValues      *values,
                                  gdouble               px_per_mm,
                                  GeglBuffer           *source,
                                  GeglBuffer           *mask,
                                  GError              **error);
/* The rendered @layer over the photo @source: what the image shows, in a
 * new buffer of the photo's precision, with alpha only if the photo has
 * it. */
GeglBuffer *smp_batch_after      (GeglBuffer           *source,
                                  GeglBuffer           *layer);
/* Writes @buffer to the PNG @path (8 bits) with the disclosure as its
 * comment and XMP (photoshop:Instructions, dc:description, xmp:CreatorTool,
 * iptcExt:DigitalSourceType, as a layout carries them), naming the photo
 * @file_name and what was simulated on it, @summary. */
gboolean    smp_batch_save_png   (GeglBuffer           *buffer,
                                  const gchar          *path,
                                  const gchar          *file_name,
                                  const gchar          *summary,
                                  GError              **error);

/* With this variable set in the environment, the batch writes a line per
 * photo to stderr with the process's peak memory while that photo was
 * done and its memory after it (Linux; for the benchmark and its test),
 * after a line with the GEGL settings GIMP gave the plug-in:
 *   smp-batch memory: GEGL threads T tile-cache-mib C
 *   smp-batch memory: [K/N] NAME peak-kib P rss-kib R seconds S */
#define SMP_BATCH_MEMORY_ENV "SMP_BATCH_MEMORY"
/* Starts a new peak (VmHWM) for this process; FALSE where it cannot. */
gboolean    smp_batch_memory_reset (void);
/* The process's peak and current resident memory in KiB; FALSE where
 * /proc/self/status does not tell them. */
gboolean    smp_batch_memory_read  (glong                *peak_kib,
                                    glong                *rss_kib);

#endif
