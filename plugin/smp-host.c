/* gimp-smp plug-in: one run of every procedure, against the host
 * interface of smp-host.h. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "smp-host.h"

static gboolean
smp_host_fail (GError      **error,
               const gchar  *message)
{
  g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, message);
  return FALSE;
}

gboolean
smp_host_mask (const SmpHostCall  *call,
               GeglBuffer        **mask,
               GError            **error)
{
  const SmpHost   *host = call->host;
  const SmpValues *values = call->values;
  GeglRectangle    bounds;

  *mask = NULL;
  if (call->proc->mask_rule == SMP_MASK_PATH && values->path_points > 0)
    {
      gint width, height;

      host->size (host, &width, &height);
      *mask = smp_plugin_path_mask (values->path_xy, values->path_points,
                                    smp_values_get_boolean (values, SMP_ARG_ID_FLIP),
                                    width, height, error);
      return *mask != NULL;
    }
  if (host->selection (host, &bounds))
    *mask = host->selection_buffer (host);
  else if (call->proc->mask_rule != SMP_MASK_ANY)
    return smp_host_fail (error, _(call->proc->no_mask));
  return TRUE;
}

/* Everything a run of an op's procedure checks before it changes
 * anything: the scale, the module, the layers; then the mask. */
static gboolean
smp_host_check_layers (const SmpHostCall  *call,
                       gdouble            *px_per_mm,
                       GeglBuffer        **mask,
                       GError            **error)
{
  const SmpHost *host = call->host;
  gint           i;

  if (! smp_plugin_scale (host->resolution (host), px_per_mm, error)
      || ! smp_plugin_ensure_ops (error))
    return FALSE;
  if (host->n_sources == 0)
    return smp_host_fail (error, _("Select the layer to work on."));
  for (i = 0; i < host->n_sources; i++)
    if (! host->is_layer (host, host->sources[i]))
      {
        gchar *name = host->name (host, host->sources[i]);

        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                     _("'%s' is not a pixel layer (a channel, mask or group): select the "
                       "photo's layer."), name);
        g_free (name);
        return FALSE;
      }
  return smp_host_mask (call, mask, error);
}

/* The layers of one source: one per session, each above the one before,
 * rendered and carrying the look they were made with.  @values are the
 * matched ones, not the call's: each layer writes its session in them. */
static void
smp_host_render_layers (const SmpHost      *host,
                        const SmpProcedure *proc,
                        SmpValues          *values,
                        gdouble             px_per_mm,
                        SmpHostItem         source_layer,
                        GeglBuffer         *mask)
{
  GeglRectangle place;
  GeglBuffer   *source = host->buffer (host, source_layer, &place);
  SmpHostItem   below = source_layer;
  gint          k, layers = smp_plugin_layer_count (proc, values);

  for (k = 1; k <= layers; k++)
    {
      gchar      *name = smp_plugin_layer_name (proc, k);
      SmpHostItem layer = host->add_layer (host, source_layer, below, name);
      GeglBuffer *dest = host->buffer (host, layer, NULL);
      gchar      *look;

      below = layer;
      values->session = proc->per_session ? k : 0;
      host->progress_start (host, name);
      smp_plugin_set_progress (host->progress, (gpointer) host);
      smp_plugin_render (&(SmpRenderInput) { proc, values, px_per_mm, source,
                                             place.x, place.y, mask },
                         GEGL_RECTANGLE (0, 0, place.width, place.height), dest, NULL);
      smp_plugin_set_progress (NULL, NULL);
      g_object_unref (dest);
      host->update (host, layer);
      /* with the layer (and its XCF), for a layout made later to tell */
      look = smp_plugin_look_text (proc, values);
      host->attach_text (host, layer, SMP_LOOK_PARASITE, look);
      g_free (look);
      g_free (name);
    }
  g_object_unref (source);
}

static gboolean
smp_host_layers (const SmpHostCall  *call,
                 GError            **error)
{
  const SmpHost *host = call->host;
  GeglBuffer    *mask = NULL, *first;
  GeglRectangle  place;
  SmpValues      matched;
  gdouble        px_per_mm;
  gboolean       done;
  gint           i;

  if (! smp_host_check_layers (call, &px_per_mm, &mask, error))
    return FALSE;
  /* matched to the client's stubble as the first layer shows it, on a
   * copy: the values a host keeps for the next run are the user's */
  first = host->buffer (host, host->sources[0], &place);
  done = smp_plugin_match (&(SmpRenderInput) { call->proc, call->values, px_per_mm, first,
                                               place.x, place.y, mask },
                           &matched, error);
  g_object_unref (first);
  if (done)
    {
      host->undo_group (host, TRUE);
      for (i = 0; i < host->n_sources; i++)
        smp_host_render_layers (host, call->proc, &matched, px_per_mm, host->sources[i], mask);
      host->undo_group (host, FALSE);
    }
  g_clear_object (&mask);
  return done;
}

static gboolean
smp_host_set_scale (const SmpHost   *host,
                    const SmpValues *values,
                    GError         **error)
{
  gdouble length = smp_values_get_double (values, SMP_ARG_ID_LENGTH_MM);
  gdouble span = smp_plugin_path_span (values->path_xy, values->path_points);
  gdouble ppi = span / length * 25.4, px_per_mm;
  gchar  *note;

  if (values->path_points < 2)
    return smp_host_fail (error, _("Draw a path whose two ends span a known length (Paths "
                                   "tool), then pick it."));
  if (! smp_plugin_scale (ppi, &px_per_mm, error))
    return FALSE;
  note = g_strdup_printf ("%.1f px over %.1f mm", span, length);
  host->undo_group (host, TRUE);
  host->set_resolution (host, ppi);
  host->attach_text (host, NULL, SMP_SCALE_PARASITE, note);
  host->undo_group (host, FALSE);
  g_free (note);
  return TRUE;
}

/* The visible simulated layers other than @before, bottom first (the
 * first session first), as places in @layers; the first one's summary
 * (name and look) in @summary. */
static GArray *
smp_host_results (const SmpHost *host,
                  SmpHostItem   *layers,
                  gint           n,
                  SmpHostItem    before,
                  gchar        **summary)
{
  GArray *results = g_array_new (FALSE, FALSE, sizeof (gint));
  gint    k;

  *summary = NULL;
  for (k = n - 1; k >= 0; k--)
    {
      gchar *name = host->name (host, layers[k]);

      if (layers[k] != before && host->is_visible (host, layers[k])
          && smp_plugin_is_result_name (name))
        {
          g_array_append_val (results, k);
          if (! *summary)
            {
              GBytes       *look = host->get_parasite (host, layers[k], SMP_LOOK_PARASITE);
              gsize         size = 0;
              gconstpointer data = look ? g_bytes_get_data (look, &size) : NULL;

              *summary = smp_plugin_layer_summary (name, data, size);
              if (look)
                g_bytes_unref (look);
            }
        }
      g_free (name);
    }
  return results;
}

/* The afters of a layout: what the image shows, or each result alone
 * (all the others hidden), named for its label.  None when there are
 * more than a layout takes: smp_plugin_before_after refuses them before
 * any is merged. */
static gint
smp_host_afters (const SmpHost *host,
                 SmpHostItem   *layers,
                 GArray        *results,
                 gboolean       each,
                 SmpAfter      *afters,
                 gpointer      *keep)
{
  gint  n = 0, k, j;
  gint *hidden = g_new (gint, MAX (results->len, 1));

  if (! each)
    host->view (host, NULL, 0, &afters[n++], &keep[0]);
  else if (results->len < SMP_COMPOSE_MAX_PANELS)
    for (k = 0; k < (gint) results->len; k++, n++)
      {
        gint   only = g_array_index (results, gint, k), n_hidden = 0;
        gchar *name = host->name (host, layers[only]);

        for (j = 0; j < (gint) results->len; j++)
          if (j != k)
            hidden[n_hidden++] = g_array_index (results, gint, j);
        host->view (host, hidden, n_hidden, &afters[n], &keep[n]);
        afters[n].name = smp_plugin_after_name (name);
        g_free (name);
      }
  g_free (hidden);
  return n;
}

/* Before/After Layout: a new image from the untouched layer (the before)
 * and what the image shows, or each visible simulated layer alone. */
static gboolean
smp_host_layout (const SmpHostCall  *call,
                 SmpHostItem        *new_image,
                 GError            **error)
{
  const SmpHost *host = call->host;
  gboolean       each = smp_values_get_int (call->values, SMP_ARG_ID_AFTERS)
                        == SMP_COMPOSE_AFTER_EACH_RESULT;
  SmpHostItem    before = host->n_sources ? host->sources[0] : NULL, *layers;
  SmpAfter       afters[SMP_COMPOSE_MAX_PANELS];
  gpointer       keep[SMP_COMPOSE_MAX_PANELS];
  gchar         *summary, *description, *xml;
  GeglBuffer    *source, *result;
  GeglRectangle  crop, place;
  GArray        *results;
  gint           n_layers, n, k;

  if (! before || ! host->is_layer (host, before))
    return smp_host_fail (error, _("Select the photo's layer: it is the before, shown untouched."));
  layers = host->layers (host, &n_layers);
  results = smp_host_results (host, layers, n_layers, before, &summary);
  if (! summary)
    {
      g_array_free (results, TRUE);
      g_free (layers);
      return smp_host_fail (error, _(SMP_PLUGIN_NO_RESULT));
    }
  if (! host->selection (host, &crop))
    {
      crop.x = crop.y = 0;
      host->size (host, &crop.width, &crop.height);
    }
  source = host->buffer (host, before, &place);
  n = smp_host_afters (host, layers, results, each, afters, keep);
  result = smp_plugin_before_after (&(SmpLayoutRequest) { call->proc, call->values, &crop,
                                                          { source, place.x, place.y, NULL },
                                                          afters,
                                                          each ? (gint) results->len : 1,
                                                          summary },
                                    &description, &xml, error);
  for (k = 0; k < n; k++)
    {
      g_object_unref (afters[k].buffer);
      g_free ((gchar *) afters[k].name);
      host->view_done (host, keep[k]);
    }
  g_object_unref (source);
  g_array_free (results, TRUE);
  g_free (layers);
  g_free (summary);
  if (! result)
    return FALSE;
  *new_image = host->new_image (host, result, description, xml, error);
  g_object_unref (result);
  g_free (description);
  g_free (xml);
  return *new_image != NULL;
}

gboolean
smp_host_check_image (const SmpHost *host,
                      GError       **error)
{
  if (host->is_rgb (host))
    return TRUE;
  return smp_host_fail (error, _("The SMP procedures work on RGB images: convert with "
                                 "Image > Mode > RGB first."));
}

gboolean
smp_host_run (const SmpHostCall  *call,
              SmpHostItem        *new_image,
              GError            **error)
{
  gboolean done = FALSE;

  if (new_image)
    *new_image = NULL;
  if (! smp_host_check_image (call->host, error))
    return FALSE;
  switch (call->proc->kind)
    {
    case SMP_RUN_LAYERS:
      done = smp_host_layers (call, error);
      break;
    case SMP_RUN_SET_SCALE:
      done = smp_host_set_scale (call->host, call->values, error);
      break;
    case SMP_RUN_LAYOUT:
      done = smp_host_layout (call, new_image, error);
      break;
    }
  if (done && call->host->interactive)
    call->host->flush (call->host);
  return done;
}

gchar *
smp_host_path_text (const SmpProcedure *proc,
                    const gchar        *path_name)
{
  if (path_name)
    return g_strdup_printf (_("Path: '%s', the one selected in the Paths dialog."), path_name);
  if (proc->kind == SMP_RUN_SET_SCALE)
    return g_strdup (_("No path is selected: draw one with the Paths tool across a known "
                       "length and select it in the Paths dialog."));
  return g_strdup (_("No path is selected: the selection's edge is the hairline."));
}

gchar *
smp_host_tone_text (const SmpHostCall *call)
{
  const SmpHost *host = call->host;
  GeglBuffer    *source, *mask = NULL;
  GeglRectangle  place, bounds;
  gchar         *text;

  if (! call->values->stubble || host->n_sources == 0)
    return smp_plugin_tone_text (call->proc, call->values);
  /* matched to the stubble, the sliders do not decide the tone */
  source = host->buffer (host, host->sources[0], &place);
  if (host->selection (host, &bounds))
    mask = host->selection_buffer (host);
  text = smp_plugin_match_text (&(SmpRenderInput) { call->proc, call->values,
                                                     host->resolution (host) / 25.4,
                                                     source, place.x, place.y, mask });
  g_object_unref (source);
  g_clear_object (&mask);
  return text;
}

gboolean
smp_host_preview_input (const SmpHostCall  *call,
                        SmpValues          *matched,
                        SmpRenderInput     *in,
                        GeglRectangle      *extents)
{
  const SmpHost *host = call->host;
  GeglRectangle  place, selected;
  gdouble        px_per_mm;

  if (host->n_sources == 0 || ! host->is_layer (host, host->sources[0])
      || ! smp_plugin_scale (host->resolution (host), &px_per_mm, NULL))
    return FALSE;
  memset (in, 0, sizeof *in);
  /* where the run would refuse, no mask: the photo shows as it is */
  smp_host_mask (call, &in->mask, NULL);
  in->source = host->buffer (host, host->sources[0], &place);
  in->proc = call->proc;
  in->values = call->values;
  in->px_per_mm = px_per_mm;
  in->off_x = place.x;
  in->off_y = place.y;
  if (! smp_plugin_match (in, matched, NULL))
    {
      smp_host_preview_done (in);
      return FALSE;
    }
  /* the preview renders what the run would: the matched values */
  in->values = matched;
  *extents = *GEGL_RECTANGLE (0, 0, place.width, place.height);
  if (host->selection (host, &selected)
      && gegl_rectangle_intersect (&selected, &selected, &place))
    *extents = *GEGL_RECTANGLE (selected.x - place.x, selected.y - place.y,
                                selected.width, selected.height);
  return TRUE;
}

void
smp_host_preview_done (SmpRenderInput *in)
{
  g_clear_object (&in->source);
  g_clear_object (&in->mask);
}
