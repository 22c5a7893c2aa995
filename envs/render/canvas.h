// Canvas: the small software rasterizer the 2D envs draw their rgb_array pictures
// with (filled polygons, circles, thick lines), no display and no OpenGL.
// Coordinates are pixels, x right and y down, sampled at pixel centres.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "envs/core/array.h"

namespace rlarena {

struct Rgb {
  uint8_t r, g, b;
};

class Canvas {
 public:
  Canvas(int width, int height, Rgb background);
  int width() const { return width_; }
  int height() const { return height_; }

  void fill(Rgb colour);
  // A simple polygon (convex or not, even-odd rule).
  void polygon(const std::vector<std::pair<double, double>>& points, Rgb colour);
  void circle(double cx, double cy, double radius, Rgb colour);
  // A segment `thickness` pixels wide with square ends.
  void line(double x0, double y0, double x1, double y1, double thickness, Rgb colour);
  // Mirrors the picture top to bottom (for envs that draw with y up, as Gymnasium's do).
  void flip_vertical();

  Rgb at(int x, int y) const;
  const std::vector<uint8_t>& pixels() const { return pixels_; }  // [height, width, 3]
  Array to_array() const;

 private:
  int width_, height_;
  std::vector<uint8_t> pixels_;
};

}  // namespace rlarena
