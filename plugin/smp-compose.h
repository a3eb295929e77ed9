/* gimp-smp plug-in: the before/after composer's picture, in GEGL only.
 *
 * A new image is laid out from two buffers in image coordinates: the
 * untouched source layer (the before) and the visible result (the after).
 * Both get the same crop, the same scale, the same place in their cell and
 * the same resampling: one graph per half, with identical nodes.  Labels and
 * a disclosure line are drawn in strips beside the pictures, never over
 * them, so not one pixel of the before is covered or altered beyond the
 * resampling both halves share.  What is GIMP's (the dialog, the new image,
 * attaching its comment and XMP) lives in the host code around this; the
 * texts they carry are made here.
 */
#ifndef SMP_COMPOSE_H
#define SMP_COMPOSE_H

#include <gegl.h>

/* Room for a label, the font name and the disclosure, with the NUL: the
 * settings are one flat struct, so GIMP 2.10's gimp_set_data can keep
 * them as they are. */
#define SMP_COMPOSE_TEXT_MAX       256

/* The most pictures a layout holds: the before and up to three afters
 * (sessions 1 to 3, or looks side by side). */
#define SMP_COMPOSE_MAX_PANELS     4

/* A picture smaller than this a side shows nothing of a scalp. */
#define SMP_COMPOSE_MIN_PICTURE    8

/* The labels and the disclosure must stand out from the background by at
 * least this contrast ratio (WCAG's, 3:1 being its floor for large text):
 * a disclosure nobody can read is none. */
#define SMP_COMPOSE_MIN_CONTRAST   3.0

/* The default texts (smp_compose_settings_init translates them). */
#define SMP_COMPOSE_DISCLOSURE     "Digital simulation, not an actual treatment result"
#define SMP_COMPOSE_BEFORE_LABEL   "Before"
#define SMP_COMPOSE_AFTER_LABEL    "After: digital simulation"

typedef enum
{
  SMP_COMPOSE_SIDE_BY_SIDE,
  SMP_COMPOSE_STACKED
} SmpComposeLayout;

typedef enum
{
  SMP_COMPOSE_LABEL_TOP,
  SMP_COMPOSE_LABEL_BOTTOM
} SmpComposeLabelPlace;

typedef enum
{
  SMP_COMPOSE_SIZE_1080_1080,
  SMP_COMPOSE_SIZE_1080_1350,
  SMP_COMPOSE_SIZE_1920_1080,
  SMP_COMPOSE_SIZE_1200_628,
  SMP_COMPOSE_SIZE_FREE,
  SMP_COMPOSE_N_SIZES
} SmpComposeSize;

typedef struct
{
  SmpComposeSize  id;
  const gchar    *name;         /* for the PDB and the settings file */
  const gchar    *label;        /* what a menu shows (N_, translate it) */
  gint            width;        /* 0 for free: the crop at scale 1 decides */
  gint            height;
} SmpComposePreset;

/* Indexed by SmpComposeSize. */
extern const SmpComposePreset smp_compose_presets[SMP_COMPOSE_N_SIZES];
/* NULL-terminated names by SmpComposeLayout and SmpComposeLabelPlace, for
 * the PDB's choices and the settings file. */
extern const gchar *const smp_compose_layout_names[];
extern const gchar *const smp_compose_place_names[];
/* What the after is: the image as it shows (one after), or each visible
 * simulated layer alone (one after each, up to SMP_COMPOSE_MAX_PANELS - 1:
 * sessions 1 to 3, or two looks).  Names and menu labels (N_). */
typedef enum
{
  SMP_COMPOSE_AFTER_IMAGE,
  SMP_COMPOSE_AFTER_EACH_RESULT
} SmpComposeAfters;
extern const gchar *const smp_compose_after_names[];
extern const gchar *const smp_compose_after_labels[];

typedef struct
{
  SmpComposeLayout      layout;
  SmpComposeSize        size;
  GeglRectangle         crop;          /* image coordinates: the selection's
                                        * bounding box, or the whole image */
  gchar                 before_label[SMP_COMPOSE_TEXT_MAX];  /* "" for none */
  gchar                 after_label[SMP_COMPOSE_TEXT_MAX];
  gchar                 font[SMP_COMPOSE_TEXT_MAX];          /* a Pango font name */
  gdouble               label_size;    /* px; the disclosure is 0.6 of it, 12 px or more */
  gdouble               label_color[4];    /* R'G'B'A, sRGB, 0-1 */
  SmpComposeLabelPlace  label_place;
  gint                  gap;           /* px between the two cells */
  gint                  border;        /* px around everything */
  gdouble               background[4];     /* R'G'B'A, sRGB, 0-1 */
  gboolean              disclosure;    /* the visible line; the metadata
                                        * carries it either way */
  gchar                 disclosure_text[SMP_COMPOSE_TEXT_MAX]; /* "" means the default */
  GeglSamplerType       sampler;       /* one resampler for both halves */
} SmpComposeSettings;

/* Where everything went, in the output's coordinates (0, 0 at its top
 * left).  Index 0 is the before, 1 .. n_panels - 1 the afters. */
typedef struct
{
  gint           width, height;    /* the output's size */
  gint           n_panels;
  GeglRectangle  cell[SMP_COMPOSE_MAX_PANELS];     /* each panel's share of the output */
  GeglRectangle  picture[SMP_COMPOSE_MAX_PANELS];  /* each panel's pixels */
  GeglRectangle  label[SMP_COMPOSE_MAX_PANELS];    /* each label's ink; empty when it has no text */
  GeglRectangle  disclosure;       /* the disclosure's ink; empty when off */
  gdouble        scale_x, scale_y; /* output px per crop px; both halves */
  gdouble        label_size;       /* px, as drawn */
  gdouble        disclosure_size;
} SmpComposeGeometry;

/* The defaults: side by side, 1080×1080, "Before" and "After: digital
 * simulation" in 36 px Sans, near-black on white, labels on top, gap 16 px,
 * border 24 px, the disclosure line on, cubic resampling.  The crop is
 * left empty: the caller sets it. */
void         smp_compose_settings_init (SmpComposeSettings       *s);


/* The disclosure the settings give: their text, or the default when it is
 * empty, never nothing. */
const gchar *smp_compose_disclosure    (const SmpComposeSettings *s);

/* Lays the output out: measures the texts (wrapped to their cell when too
 * wide) and fits the crop into the cells.  FALSE with @error for an empty
 * crop, a cell with no room for the crop (border, gap or labels too
 * large), a text that does not fit even wrapped, or labels too close to
 * the background colour.  The dialog can call it to show the size, or why
 * not, before any pixel is rendered. */
gboolean     smp_compose_geometry      (const SmpComposeSettings *s,
                                        SmpComposeGeometry       *geometry,
                                        GError                  **error);

/* The composite: a new "R'G'B'A float" buffer (in @before's colour space)
 * with extent (0, 0, width, height), exactly the preset's size (or the
 * free size the geometry gives).  @before and @after are in image
 * coordinates (see smp_compose_at_offsets) and must both hold the whole
 * crop.  Each half's graph is
 *   gegl:buffer-source → gegl:scale-ratio (scale_x, scale_y, origin at the
 *   crop's top left, s->sampler) → gegl:translate (picture.x - crop.x,
 *   picture.y - crop.y) → gegl:crop (picture),
 * and below half size (scale_x and scale_y both 1/2 or less) the buffer
 * source is the crop halved k times first, k the most that leaves the
 * resampler more than 1/2: the crop, with up to 4 · 2^k px of its
 * surroundings, copied with its top left at (0, 0) and read back at
 * scale 2^-k (GEGL's mipmap: the mean of each 2^k × 2^k block, the blocks
 * starting at the crop's corner), then scaled by scale × 2^k about (0, 0)
 * and moved by (picture.x, picture.y) (resampling a 24 MP photo straight
 * down to a 500-px panel took GEGL's samplers 2.5 s a panel; this, 0.2 s),
 * written in place over the background (not composited: a pixel is what
 * the resampler gave, a transparent one stays transparent; flatten the
 * new image if that matters), with the labels and the disclosure
 * (gegl:text, composited with gegl:over) around them.  At the free size
 * the scale is exactly 1 and the pictures are the crop's own pixels.
 * Labels and disclosure are text in s->font at whole-pixel places, never
 * resampled.  NULL with @error when the geometry
 * fails, a buffer is missing or does not hold the crop; @geometry, if not
 * NULL, gets where everything went. */
GeglBuffer  *smp_compose_full          (const SmpComposeSettings *s,
                                        GeglBuffer               *before,
                                        GeglBuffer               *after,
                                        SmpComposeGeometry       *geometry,
                                        GError                  **error);

/* The same with several afters side by side (or stacked), each framed as
 * the before is: @n_afters from 1 to SMP_COMPOSE_MAX_PANELS - 1, their
 * @names (may be NULL) added to the after label in brackets when there
 * are several ("After: digital simulation (session 2)").  At the free
 * size the output grows by a crop and a gap per after; a preset shares
 * its width (or height, stacked) among the panels. */
GeglBuffer  *smp_compose_panels        (const SmpComposeSettings *s,
                                        GeglBuffer               *before,
                                        GeglBuffer *const        *afters,
                                        const gchar *const       *names,
                                        gint                      n_afters,
                                        SmpComposeGeometry       *geometry,
                                        GError                  **error);

/* A view of a layer's buffer (layer coordinates) in image coordinates,
 * for a layer at offsets @off_x, @off_y: what smp_compose takes.  The
 * layer's pixels are shared, not copied. */
GeglBuffer  *smp_compose_at_offsets    (GeglBuffer               *layer,
                                        gint                      off_x,
                                        gint                      off_y);

/* The text for the new image's comment and XMP (dc:description): the
 * disclosure, the tool's name and version, the layout and settings, and
 * @look_summary (what the after shows, from the caller; may be NULL).
 * Free with g_free. */
gchar       *smp_compose_description   (const SmpComposeSettings *s,
                                        const gchar              *look_summary);

/* The IPTC digital source type the XMP gives the new image: a composite
 * of which at least one element (the after's dots) is synthetic. */
#define SMP_COMPOSE_SOURCE_TYPE \
  "http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic"

/* The new image's XMP, as the XML that libgimp's gimp_metadata_deserialize
 * reads in GIMP 2.10 and 3 alike (one <tag> per property; an XMP packet
 * through gimp_metadata_set_from_xmp would lose a language alternative's
 * text after its first comma in both), in namespaces GIMP itself knows
 * (GIMP 2.10 hands metadata from a plug-in to the image by tag name, which
 * only a namespace registered in GIMP's own process survives):
 *   Xmp.photoshop.Instructions  @description whole (plain text; IPTC's
 *                               "Instructions" include how the picture
 *                               was made and what publishing it needs)
 *   Xmp.dc.description          @description (a language alternative:
 *                               GIMP 3.0 with gexiv2 0.14 keeps only the
 *                               part before its first comma)
 *   Xmp.xmp.CreatorTool         "gimp-smp VERSION" (in the image; both
 *                               GIMPs write their own name there on export)
 *   Xmp.iptcExt.DigitalSourceType  SMP_COMPOSE_SOURCE_TYPE
 * Free with g_free. */
gchar       *smp_compose_metadata      (const gchar              *description);

#endif
