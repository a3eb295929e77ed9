/* gimp-smp tests: a mask that does not cover the photo means "none" where
 * it does not reach (issue "Hardening", a).
 *
 * GEGL gives process() no aux buffer for a chunk the mask's extent does
 * not reach.  Each op that takes a mask must read that as 0 there, so
 * nothing changes outside the mask's extent (beyond a dot's reach, or for
 * the hairline beyond its stray zone), and the output must not depend on
 * how the image was cut into chunks or threads.
 */
#include <string.h>

#include "smp-test-util.h"

#define PX_PER_MM 10.0
#define W 900
#define H 640

typedef struct
{
  const char   *name;
  GeglRectangle box;     /* the mask's extent */
  float         value;   /* its value over that extent */
} MaskCase;

static const MaskCase cases[] = {
  { "smaller", { 310, 220, 120, 100 }, 1.0f },
  { "offset past the corner", { 780, 540, 300, 260 }, 1.0f },
  { "outside the image", { -900, -700, 300, 300 }, 1.0f },
  { "smaller, all zero", { 310, 220, 120, 100 }, 0.0f },
};

static guchar *
render (const char *operation,
        GeglBuffer *skin,
        GeglBuffer *mask,
        int         threads,
        int         chunk)
{
  GeglRectangle full = { 0, 0, W, H };
  guchar       *pixels = g_malloc ((gsize) W * H * 4);
  GeglNode     *root, *op;
  va_list       none;

  g_object_set (gegl_config (), "threads", threads, "chunk-size", chunk, NULL);
  op = smp_test_graph (&root, operation, skin, mask, NULL, none);
  gegl_node_set (op, "px-per-mm", PX_PER_MM, "seed", 4, NULL);
  gegl_node_blit (op, 1.0, &full, babl_format ("R'G'B'A u8"), pixels,
                  GEGL_AUTO_ROWSTRIDE, GEGL_BLIT_DEFAULT);
  g_object_unref (root);
  return pixels;
}

static void
check_op (const char *operation,
          double      reach_mm)
{
  GeglBuffer *skin = smp_test_flat ("#c68642", W, H, "R'G'B'A u8");
  guchar     *plain = g_malloc ((gsize) W * H * 4);
  gint        reach = (gint) (reach_mm * PX_PER_MM);
  guint       k;

  gegl_buffer_get (skin, NULL, 1.0, babl_format ("R'G'B'A u8"), plain,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  for (k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      const MaskCase *c = &cases[k];
      GeglBuffer     *mask = gegl_buffer_new (&c->box, babl_format ("Y float"));
      guchar         *one, *other;
      long            outside = 0, inside = 0;
      int             x, y, t;

      gegl_buffer_set_color_from_pixel (mask, NULL, &c->value, babl_format ("Y float"));
      one = render (operation, skin, mask, 1, 1 << 22);
      for (y = 0; y < H; y++)
        for (x = 0; x < W; x++)
          {
            gsize    i = ((gsize) y * W + x) * 4;
            gboolean near = x >= c->box.x - reach && x < c->box.x + c->box.width + reach
                            && y >= c->box.y - reach && y < c->box.y + c->box.height + reach;

            if (memcmp (one + i, plain + i, 4))
              {
                if (near && c->value > 0.0f)
                  inside++;
                else
                  outside++;
              }
          }
      g_test_message ("%s, mask %s: %ld pixels changed within reach, %ld beyond",
                      operation, c->name, inside, outside);
      g_assert_cmpint (outside, ==, 0);

      /* many small chunks, most of which the mask does not reach */
      for (t = 2; t <= 4; t += 2)
        {
          other = render (operation, skin, mask, t, 64 * 64 * t);
          g_assert_cmpint (memcmp (one, other, (gsize) W * H * 4), ==, 0);
          g_free (other);
        }
      g_free (one);
      g_object_unref (mask);
    }
  g_object_set (gegl_config (), "threads", 1, "chunk-size", 1 << 22, NULL);
  g_free (plain);
  g_object_unref (skin);
}

static void
test_stipple (void)
{
  check_op ("smp:stipple", 1.5);
}

/* the hairline's strays reach irregularity + 3 mm ahead of the mask's
 * edge (6 mm at the soft style), and its dots a little further */
static void
test_hairline (void)
{
  check_op ("smp:hairline", 7.5);
}

static void
test_thicken (void)
{
  check_op ("smp:thicken", 1.5);
}

int
main (int argc, char **argv)
{
  smp_test_init (&argc, &argv);
  g_test_add_func ("/mask/stipple", test_stipple);
  g_test_add_func ("/mask/hairline", test_hairline);
  g_test_add_func ("/mask/thicken", test_thicken);
  return g_test_run ();
}
