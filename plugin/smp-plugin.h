/* gimp-smp plug-in: the procedure logic shared by GIMP 3 and GIMP 2.10.
 *
 * Everything here speaks GEGL only: the procedures and their arguments
 * (one table both registrations read), turning the image's selection or a
 * path into the op's mask, and rendering the result.  What needs libgimp
 * lives around it: registration and dialogs per GIMP version in
 * smp-gimp3.c and smp-gimp2.c, the image, its layers and undo in
 * smp-host-gimp.c for both.
 */
#ifndef SMP_PLUGIN_H
#define SMP_PLUGIN_H

#include <gegl.h>

#include "smp-compose.h"

#define SMP_PLUGIN_BINARY    "gimp-smp"
#define SMP_PLUGIN_MENU      "<Image>/Filters/Scalp Micropigmentation"
/* The most arguments a procedure takes: the value arrays' size.  The op
 * properties are counted at run time; smp_procedure_get stops adding
 * arguments beyond it, and says so. */
#define SMP_MAX_ARGS         48
/* The resolutions an image has when nobody measured it. */
#define SMP_DEFAULT_PPI_A    72.0
#define SMP_DEFAULT_PPI_B    300.0
/* Parasite that Set Scale leaves on an image it has measured. */
#define SMP_SCALE_PARASITE   "gimp-smp-scale"

typedef enum
{
  SMP_ARG_DOUBLE,
  SMP_ARG_INT,
  SMP_ARG_BOOLEAN,
  SMP_ARG_CHOICE,
  SMP_ARG_COLOR,
  SMP_ARG_PATH,
  SMP_ARG_CHANNEL,
  SMP_ARG_STRING,
  SMP_ARG_FONT      /* a font's name: a GimpFont in GIMP 3, a string in 2.10 */
} SmpArgType;

/* Where a procedure's argument comes from: the plug-in's own (a path, a
 * channel, a layout's texts), or the op's GParamSpec, read when the
 * plug-in starts. */
typedef enum
{
  SMP_SOURCE_PLUGIN,
  SMP_SOURCE_OP
} SmpArgSource;

typedef struct
{
  const gchar        *name;     /* PDB argument name, and the op property */
  const gchar        *nick;     /* dialog label, with its unit */
  const gchar        *blurb;
  SmpArgType          type;
  gdouble             min, max, value;
  const gchar *const *choices;  /* SMP_ARG_CHOICE: NULL-terminated nicks */
  const gchar        *text;     /* SMP_ARG_COLOR: the default colour;
                                 * SMP_ARG_STRING, SMP_ARG_FONT: the default
                                 * text (N_, translate it) */
  gboolean            plugin_only; /* not a property of the op */
  const gchar *const *choice_labels; /* SMP_ARG_CHOICE: what a menu shows, or NULL: the nicks */
  SmpArgSource        source;   /* in a procedure's table of places, SMP_SOURCE_OP
                                 * is the op's property @name (NULL: every one
                                 * not placed or hidden otherwise) */
  GeglColor          *color;    /* SMP_ARG_COLOR: the default colour */
} SmpArg;

/* A place in a procedure's table for the op's properties (see SmpArg's
 * source): all that are not placed or hidden otherwise, in the op's order,
 * or the one named. */
#define SMP_OP_ARGS      { .source = SMP_SOURCE_OP }
#define SMP_OP_ARG(n)    { .name = (n), .source = SMP_SOURCE_OP }

/* The arguments the plug-in's own code reads, by a typed id rather than a
 * name: smp_values_get_double (values, SMP_ARG_ID_SHADE).  Their names are
 * in smp-plugin.c; a procedure that lacks one reads it as a critical. */
typedef enum
{
  SMP_ARG_ID_LOOK,
  SMP_ARG_ID_SHADE,
  SMP_ARG_ID_DENSITY,
  SMP_ARG_ID_DOT_DIAMETER,
  SMP_ARG_ID_SIZE_VARIATION,
  SMP_ARG_ID_DARKNESS,
  SMP_ARG_ID_DARKNESS_VARIATION,
  SMP_ARG_ID_SOFTNESS,
  SMP_ARG_ID_HALO,
  SMP_ARG_ID_PHOTO_BLUR,
  SMP_ARG_ID_CLUSTERING,
  SMP_ARG_ID_REGULARITY,
  SMP_ARG_ID_PIGMENT,
  SMP_ARG_ID_SESSIONS,
  SMP_ARG_ID_STUBBLE,
  SMP_ARG_ID_PATH,
  SMP_ARG_ID_FLIP,
  SMP_ARG_ID_LENGTH_MM,
  SMP_ARG_ID_LAYOUT,
  SMP_ARG_ID_SIZE,
  SMP_ARG_ID_BEFORE_LABEL,
  SMP_ARG_ID_AFTER_LABEL,
  SMP_ARG_ID_FONT,
  SMP_ARG_ID_LABEL_SIZE,
  SMP_ARG_ID_LABEL_COLOR,
  SMP_ARG_ID_LABEL_PLACE,
  SMP_ARG_ID_GAP,
  SMP_ARG_ID_BORDER,
  SMP_ARG_ID_DISCLOSURE,
  SMP_ARG_ID_AFTERS,
  SMP_N_ARG_IDS
} SmpArgId;

typedef enum
{
  SMP_PROC_DENSITY,
  SMP_PROC_HAIRLINE,
  SMP_PROC_CONCEAL_SCAR,
  SMP_PROC_THICKEN,
  SMP_PROC_SET_SCALE,
  SMP_PROC_SESSIONS,
  SMP_PROC_BEFORE_AFTER,
  SMP_N_PROCS
} SmpProcId;

/* What a procedure does with the image: new layers rendered by its op,
 * the image's resolution, or a new image laid out from it. */
typedef enum
{
  SMP_RUN_LAYERS,
  SMP_RUN_SET_SCALE,
  SMP_RUN_LAYOUT
} SmpRunKind;

/* Where a procedure's op puts dots (smp_host_mask): */
typedef enum
{
  SMP_MASK_ANY,        /* the selection, or the whole layer without one */
  SMP_MASK_SELECTION,  /* the selection: refused when it is empty */
  SMP_MASK_PATH        /* the path's coverage, else the selection, else refused */
} SmpMaskRule;

typedef struct
{
  SmpProcId     id;
  const gchar  *name;           /* PDB name */
  const gchar  *operation;      /* the smp: op it wraps, NULL for none */
  const gchar  *menu_label;
  const gchar  *blurb;
  const gchar  *help;
  const gchar  *layer_name;     /* name of the layer it adds */
  const SmpArg *places;         /* its arguments' table: the plug-in's own and
                                 * places for the op's (SMP_OP_ARGS) */
  gint          n_places;
  gboolean      per_session;    /* one layer per session, layer_name has a %d */
  const gchar *const *hidden;   /* op properties it takes no argument for */
  SmpRunKind    kind;
  SmpMaskRule   mask_rule;
  const gchar  *no_mask;        /* what an empty selection is told (N_) */
  gboolean      batch_settings; /* its dialog saves the batch's settings file */
  /* built by smp_procedure_get from the places and the op's GParamSpecs */
  SmpArg       *args;
  gint          n_args;
  gint          index[SMP_N_ARG_IDS]; /* each id's place in args, or -1 */
} SmpProcedure;

/* Values of a procedure's arguments, by index into its args. */
typedef struct
{
  gdouble      number[SMP_MAX_ARGS];   /* doubles, ints, booleans, choice index */
  GeglColor   *color[SMP_MAX_ARGS];
  gchar       *text[SMP_MAX_ARGS];     /* strings and font names, UTF-8 */
  gdouble     *path_xy;                /* the path's first stroke, x y pairs */
  gint         path_points;
  GeglBuffer  *stubble;                /* the client's own stubble to match (image
                                        * coordinates), NULL for none */
  gint         session;                /* the op's session to render; 0: its default */
  const SmpProcedure *proc;            /* whose arguments these are */
} SmpValues;

/* The name of the saved channel an interactive run matches: the user saves
 * a selection of the client's own stubble under this name. */
#define SMP_STUBBLE_CHANNEL  "Stubble"

/* A procedure with its arguments built: the first call loads the GEGL
 * module and reads the ops' GParamSpecs.  Without the module a procedure
 * has only the plug-in's own arguments (it still registers; running it
 * says what to install, smp_plugin_ensure_ops). */
const SmpProcedure *smp_procedure_get    (SmpProcId           id);
const gchar        *smp_procedure_name   (SmpProcId           id);
const SmpProcedure *smp_procedure_lookup (const gchar        *name);
/* The index of the argument @name, or -1: for names from outside (a
 * settings file); the plug-in's own code reads values by SmpArgId. */
gint                smp_procedure_arg    (const SmpProcedure *proc,
                                          const gchar        *name);
gboolean            smp_procedure_has    (const SmpProcedure *proc,
                                          SmpArgId            id);
/* The argument's name (its GIMP config property, its op property). */
const gchar        *smp_arg_id_name      (SmpArgId            id);
void                smp_values_init      (const SmpProcedure *proc,
                                          SmpValues          *values);
void                smp_values_clear     (SmpValues          *values);

/* Typed access to the values of the arguments the plug-in reads. */
gdouble             smp_values_get_double  (const SmpValues *values,
                                            SmpArgId         id);
gint                smp_values_get_int     (const SmpValues *values,
                                            SmpArgId         id);
gboolean            smp_values_get_boolean (const SmpValues *values,
                                            SmpArgId         id);
GeglColor          *smp_values_get_color   (const SmpValues *values,
                                            SmpArgId         id);
const gchar        *smp_values_get_text    (const SmpValues *values,
                                            SmpArgId         id);
void                smp_values_set_double  (SmpValues       *values,
                                            SmpArgId         id,
                                            gdouble          value);

/* Makes sure the GEGL module is loaded; FALSE with @error if not. */
gboolean    smp_plugin_ensure_ops   (GError            **error);

/* px per mm from a resolution in ppi, or FALSE with @error when it is
 * no sensible scale for a photo of a head. */
gboolean    smp_plugin_scale        (gdouble             ppi,
                                     gdouble            *px_per_mm,
                                     GError            **error);

/* The coverage mask (image coordinates, "Y float") of an open path
 * drawn across the forehead: the side away from the face, the top of the
 * image unless @flip, is covered. */
GeglBuffer *smp_plugin_path_mask    (const gdouble      *xy,
                                     gint                n_points,
                                     gboolean            flip,
                                     gint                image_width,
                                     gint                image_height,
                                     GError            **error);

/* What the procedure's op renders: @proc's op with @values at @px_per_mm
 * over a layer (@source, layer coordinates, at @off_x, @off_y in the
 * image) with @mask (image coordinates, NULL for none) as its aux.  The
 * selection is the op's density mask here, so GIMP's own selection
 * masking never fades the dots.  Matching to the stubble
 * (smp_plugin_match) measures the same layer and mask at the same scale. */
typedef struct
{
  const SmpProcedure *proc;
  const SmpValues    *values;
  gdouble             px_per_mm;
  GeglBuffer         *source;
  gint                off_x, off_y;
  GeglBuffer         *mask;
} SmpRenderInput;

/* Renders @in over @rect (layer coordinates) into @dest. */
gboolean    smp_plugin_render       (const SmpRenderInput *in,
                                     const GeglRectangle  *rect,
                                     GeglBuffer           *dest,
                                     GError              **error);

/* What a zoomed preview shows: @in's op over the layer as
 * smp_plugin_render has it, or the layer itself if @original, at @scale
 * (preview px per layer px), over @roi (in layer coordinates times
 * @scale), into @pixels in @format. */
gboolean    smp_plugin_render_scaled (const SmpRenderInput *in,
                                      gdouble               scale,
                                      const GeglRectangle  *roi,
                                      gboolean              original,
                                      const Babl           *format,
                                      gpointer              pixels,
                                      GError              **error);

/* Whether the argument @name is one a look preset sets, and the value the
 * look @look (SMP_LOOK_ID_*) gives it: a dialog moves its sliders there
 * when a look is chosen. */
gboolean    smp_plugin_look_sets    (const gchar        *name);
gdouble     smp_plugin_look_value   (gint                look,
                                     const gchar        *name);

/* What the values give at a distance, for the dialog to show as the user
 * moves any slider ("At a distance: 12 % darker than bare skin"). */
gchar      *smp_plugin_tone_text    (const SmpProcedure *proc,
                                     const SmpValues    *values);

/* When @in's values have a stubble channel: measures it and the area to
 * treat (@in's mask, image coordinates; the selection or the hairline's
 * coverage) on @in's source (layer coordinates at its offsets), and sets
 * *@matched, a shallow copy of @in's values that owns nothing (do not
 * clear it), to the custom look that matches it: the chosen look's dots,
 * with the density, shade and darkness that give the stubble's tone and
 * grain.  TRUE with the copy unchanged when there is no stubble
 * channel; FALSE with @error when either region cannot be read. */
gboolean    smp_plugin_match        (const SmpRenderInput *in,
                                     SmpValues            *matched,
                                     GError              **error);

/* What matching @in gives, for the dialog's line (or why it cannot). */
gchar      *smp_plugin_match_text   (const SmpRenderInput *in);

/* The parasite each procedure's new layer carries: the look it was made
 * with (smp_plugin_look_text), for a layout's metadata to tell. */
#define SMP_LOOK_PARASITE    "gimp-smp-look"

/* What a layer made by @proc with @values shows, as one line: the
 * procedure, then every value the op used, by its PDB name, as the op
 * used it (a look's own values when a look is chosen), the session and
 * stage.  Free with g_free. */
gchar      *smp_plugin_look_text    (const SmpProcedure *proc,
                                     const SmpValues    *values);

/* What the simulated layer @name shows, for a layout's metadata: the name
 * and, when its SMP_LOOK_PARASITE's data (@look, @size bytes; NULL for
 * none) is a text, the look it was made with.  Free with g_free. */
gchar      *smp_plugin_layer_summary (const gchar       *name,
                                      gconstpointer      look,
                                      gsize              size);

/* Before/After Layout: the composer's settings from the values, over
 * @crop (image coordinates); the texts checked by smp_plugin_check_texts. */
void        smp_plugin_compose_settings (const SmpProcedure  *proc,
                                         const SmpValues     *values,
                                         const GeglRectangle *crop,
                                         SmpComposeSettings  *settings);

/* Whether the texts (SMP_ARG_STRING, SMP_ARG_FONT) of @values are ones the
 * composer takes: UTF-8, shorter than SMP_COMPOSE_TEXT_MAX bytes, a font
 * name not empty.  If not, FALSE with @error naming the argument. */
gboolean    smp_plugin_check_texts  (const SmpProcedure  *proc,
                                     const SmpValues     *values,
                                     GError             **error);

/* Why an image has nothing to compose, or NULL: the after must be a
 * visible layer one of the procedures made (its name ends in
 * "(simulated)", or in "(simulated) #2" and so on, as GIMP names a copy
 * or a second run's layer), other than the before. */
#define SMP_PLUGIN_NO_RESULT N_("This image has no simulated result to show: run Shaved Look / " \
                                "Density (or another SMP procedure) first, and keep its layer " \
                                "visible.")
gboolean    smp_plugin_is_result_name (const gchar *layer_name);

/* An after of a layout: what the image shows (or shows with one
 * simulated layer alone), at its offsets, and what to call it when there
 * are several (smp_plugin_after_name), or NULL. */
typedef struct
{
  GeglBuffer  *buffer;
  gint         x, y;
  const gchar *name;
} SmpAfter;

/* A simulated layer's name for a label: "SMP session 2 (simulated)" is
 * "session 2", "SMP session 1 (simulated) #1" is "session 1 #1".  g_free
 * it. */
gchar      *smp_plugin_after_name   (const gchar         *layer_name);

/* A layout to make: Before/After Layout's @proc and @values over @crop
 * (image coordinates), the layer @before (its name unused) and the
 * @n_afters @afters (1 to SMP_COMPOSE_MAX_PANELS - 1), the simulated
 * layer named by @summary in the texts. */
typedef struct
{
  const SmpProcedure  *proc;
  const SmpValues     *values;
  const GeglRectangle *crop;
  SmpAfter             before;
  const SmpAfter      *afters;
  gint                 n_afters;
  const gchar         *summary;
} SmpLayoutRequest;

/* The layout @request asks for; the text for the new image's comment in
 * @description and its XMP in @metadata (smp_compose_metadata; g_free
 * both).  NULL with @error if it cannot be laid out (or there are too many
 * afters: the message says to hide some). */
GeglBuffer *smp_plugin_before_after (const SmpLayoutRequest *request,
                                     gchar                 **description,
                                     gchar                 **metadata,
                                     GError                **error);

/* How many layers a run of @proc adds per source layer (one per session
 * for Session Progression), and the name of the @k-th (1-based). */
gint        smp_plugin_layer_count  (const SmpProcedure *proc,
                                     const SmpValues    *values);
gchar      *smp_plugin_layer_name   (const SmpProcedure *proc,
                                     gint                k);

/* A menu label as a window title: no mnemonic, no ellipsis. */
gchar      *smp_plugin_title        (const gchar        *menu_label);

/* Whether @value is a value the argument @i of @proc takes: in its range
 * and not NaN.  If not, FALSE with @error in the words GIMP 3's Script-Fu
 * uses for an argument out of range ("argument 6 in call to
 * plug-in-smp-density has value -5.000000 out of range: 5.000000 to
 * 400.000000"); @position is the argument's place in the call, run-mode
 * being 1.  GIMP 3 checks its arguments before the plug-in runs; GIMP 2.10
 * checks no ranges, so its plug-in calls this. */
gboolean    smp_plugin_check_arg    (const SmpProcedure *proc,
                                     gint                i,
                                     gint                position,
                                     gdouble             value,
                                     GError            **error);

/* What a path given with no stroke of two points or more is told (both
 * GIMPs; never a fallback to the selection). */
#define SMP_PLUGIN_PATH_TOO_SHORT N_("The path has no stroke of two points or more.")

/* What a dialog says of the image's scale (@ppi): for Set Scale the
 * scale now, else the scale and a 0.15 mm dot's width in px, or a
 * warning when @ppi is a default nobody @measured (Set Scale's
 * parasite). */
gchar      *smp_plugin_scale_text   (const SmpProcedure *proc,
                                     gdouble             ppi,
                                     gboolean            measured);

/* The size GIMP gives a zoom preview's longer side at zoom 1 (the
 * default of GimpPreview's "size" style property): the whole selection's
 * box (or layer) fits in it. */
#define SMP_PREVIEW_SIZE 200

/* A zoom preview's scale (preview px per layer px) at @zoom, for a view
 * @view_w px wide whose zoom 1 shows @extents_w layer px across. */
gdouble     smp_plugin_preview_scale (gdouble             zoom,
                                      gint                view_w,
                                      gint                extents_w);

/* Tells @func how far (0..1) each final render into a layer is, for the
 * host's progress bar; NULL for none (the previews never call it). */
typedef void (* SmpProgressFunc) (gdouble  fraction,
                                  gpointer data);
void        smp_plugin_set_progress (SmpProgressFunc     func,
                                     gpointer            data);

/* Whether the argument @name goes in a dialog's "Advanced" expander:
 * the variations, cool shift, softness, halo, photo blur, clustering,
 * regularity and seed, which a look sets and few change by hand. */
gboolean    smp_plugin_is_advanced  (const gchar        *name);

/* Length in px between the two ends of a path's first stroke. */
gdouble     smp_plugin_path_span    (const gdouble      *xy,
                                     gint                n_points);

#endif
