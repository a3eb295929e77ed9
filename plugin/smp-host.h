/* gimp-smp plug-in: the few things a GIMP must provide, and one run of
 * every procedure written against them.
 *
 * smp-host-gimp.c fills an SmpHost with libgimp's calls for the image,
 * its layers, the selection, parasites, undo and progress, written once
 * for GIMP 3 and 2.10 (smp-gimp-compat.h: what they spell differently);
 * smp_host_run then checks the input, chooses the mask, adds and renders
 * the layers, sets the scale or lays out the before and after, the same
 * for both GIMPs.  What a procedure needs (a mask, a path, what it says
 * when one is missing) is data in its SmpProcedure, not a branch here.
 *
 * Like smp-plugin.c this speaks GEGL only: a host's layer is an opaque
 * SmpHostItem (a GimpLayer in GIMP 3, an ID in GIMP 2.10) that the shared
 * code only hands back, so a test can run the procedures against a host
 * of its own with no GIMP at all.
 */
#ifndef SMP_HOST_H
#define SMP_HOST_H

#include <gegl.h>

#include "smp-plugin.h"

typedef gpointer SmpHostItem;
typedef struct _SmpHost SmpHost;

struct _SmpHost
{
  /* the layers to work on (GIMP 3's drawables, GIMP 2.10's drawable) */
  const SmpHostItem *sources;
  gint               n_sources;
  gboolean           interactive;   /* displays are flushed, a new image shown */

  /* the image: its resolution in ppi, its size, and whether a scale was
   * measured on it (SMP_SCALE_PARASITE) */
  gboolean     (* is_rgb)          (const SmpHost *host);
  gdouble      (* resolution)      (const SmpHost *host);
  void         (* size)            (const SmpHost *host,
                                    gint          *width,
                                    gint          *height);
  /* the selection's bounds (image coordinates), FALSE when it is empty;
   * its pixels as a buffer (image coordinates; unref it) */
  gboolean     (* selection)       (const SmpHost *host,
                                    GeglRectangle *bounds);
  GeglBuffer * (* selection_buffer)(const SmpHost *host);

  /* layers: whether @item is a pixel layer (not a channel, mask or
   * group), its name (g_free), its pixels (unref) and its place in the
   * image (offsets and size) */
  gboolean     (* is_layer)        (const SmpHost *host,
                                    SmpHostItem    item);
  gchar      * (* name)            (const SmpHost *host,
                                    SmpHostItem    item);
  GeglBuffer * (* buffer)          (const SmpHost *host,
                                    SmpHostItem    item,
                                    GeglRectangle *place);
  /* a new transparent layer @name with the place and type (plus alpha)
   * of @like, just above @below, in @like's group */
  SmpHostItem  (* add_layer)       (const SmpHost *host,
                                    SmpHostItem    like,
                                    SmpHostItem    below,
                                    const gchar   *name);
  /* the layer's pixels were written: GIMP redraws them */
  void         (* update)          (const SmpHost *host,
                                    SmpHostItem    layer);
  /* a persistent, undoable text parasite on @item (NULL: the image);
   * reading one gives its bytes as they are (unref) or NULL */
  void         (* attach_text)     (const SmpHost *host,
                                    SmpHostItem    item,
                                    const gchar   *parasite,
                                    const gchar   *text);
  GBytes     * (* get_parasite)    (const SmpHost *host,
                                    SmpHostItem    item,
                                    const gchar   *parasite);
  void         (* set_resolution)  (const SmpHost *host,
                                    gdouble        ppi);
  void         (* undo_group)      (const SmpHost *host,
                                    gboolean       start);
  /* a final render begins: its name on the progress bar; then
   * progress (fraction, host) as it goes */
  void         (* progress_start)  (const SmpHost *host,
                                    const gchar   *text);
  SmpProgressFunc progress;
  void         (* flush)           (const SmpHost *host);

  /* Before/After Layout: the image's layers, top first (g_free the
   * array), whether one is visible; what the image shows with the
   * layers at @hidden (places in that array) hidden, from a copy that
   * leaves the image without an undo step (its offsets in @after; the
   * copy is @keep until view_done); the layout's new image, shown when
   * interactive, with its comment and XMP (NULL with @error) */
  SmpHostItem *(* layers)          (const SmpHost *host,
                                    gint          *n);
  gboolean     (* is_visible)      (const SmpHost *host,
                                    SmpHostItem    item);
  void         (* view)            (const SmpHost *host,
                                    const gint    *hidden,
                                    gint           n_hidden,
                                    SmpAfter      *after,
                                    gpointer      *keep);
  void         (* view_done)       (const SmpHost *host,
                                    gpointer       keep);
  SmpHostItem  (* new_image)       (const SmpHost *host,
                                    GeglBuffer    *layout,
                                    const gchar   *description,
                                    const gchar   *xml,
                                    GError       **error);
};

/* One call of a procedure: the host serving it, the procedure and the
 * values it runs with (read by the host from its arguments or its
 * dialog). */
typedef struct
{
  const SmpHost      *host;
  const SmpProcedure *proc;
  const SmpValues    *values;
} SmpHostCall;

/* Whether the host's image is one the procedures take (RGB): FALSE with
 * @error if not.  smp_host_run checks it too; a host asks before its
 * dialog, so nobody fills one in to be refused. */
gboolean    smp_host_check_image    (const SmpHost      *host,
                                     GError            **error);

/* Runs @call on its host's image: everything is checked before
 * anything is changed, then the new layers are made and rendered in one
 * undo group (or the scale set, or the layout's image made, in
 * *@new_image).  FALSE with @error and nothing changed if the input is
 * bad. */
gboolean    smp_host_run            (const SmpHostCall  *call,
                                     SmpHostItem        *new_image,
                                     GError            **error);

/* The mask @call's procedure renders with: the hairline path's coverage
 * when it has one, else the selection, else none; FALSE with @error (the
 * procedure's own words) when it needs a selection that is empty.
 * *@mask is NULL for none; unref it. */
gboolean    smp_host_mask           (const SmpHostCall  *call,
                                     GeglBuffer        **mask,
                                     GError            **error);

/* The dialog's line on the path a procedure takes from the Paths
 * dialog (GIMP 3's dialogs have no path chooser): @path_name, the
 * selected path's name, or NULL for none. */
gchar      *smp_host_path_text      (const SmpProcedure *proc,
                                     const gchar        *path_name);

/* The dialog's line under the look: what @call's values give at a
 * distance, or, matched to the stubble, what matching gives for the
 * first source layer. */
gchar      *smp_host_tone_text      (const SmpHostCall  *call);

/* What a dialog's preview renders, as a run of @call would: the first
 * source layer, the call's values matched to the stubble in *@matched (a
 * shallow copy of them that owns nothing: do not clear it), the mask the
 * run would choose (none where the procedure would refuse one: the photo
 * shows as it is), and in @extents the selection's box in the layer (the
 * whole layer without one), which a zoom preview shows at zoom 1.  FALSE
 * when nothing can be rendered (no scale, no layer, a failed match);
 * else release @in with smp_host_preview_done. */
gboolean    smp_host_preview_input  (const SmpHostCall  *call,
                                     SmpValues          *matched,
                                     SmpRenderInput     *in,
                                     GeglRectangle      *extents);
void        smp_host_preview_done   (SmpRenderInput     *in);

#endif
