#include "envs/render/canvas.h"

#include <algorithm>
#include <cmath>

namespace rlarena {

Canvas::Canvas(int width, int height, Rgb background)
    : width_(width), height_(height), pixels_(static_cast<size_t>(width) * height * 3) {
  fill(background);
}

void Canvas::fill(Rgb c) {
  for (size_t i = 0; i < pixels_.size(); i += 3) pixels_[i] = c.r, pixels_[i + 1] = c.g, pixels_[i + 2] = c.b;
}

void Canvas::polygon(const std::vector<std::pair<double, double>>& pts, Rgb c) {
  if (pts.size() < 3) return;
  double top = pts[0].second, bottom = top;
  for (const auto& p : pts) top = std::min(top, p.second), bottom = std::max(bottom, p.second);
  const int y0 = std::max(0, static_cast<int>(std::ceil(top - 0.5)));
  const int y1 = std::min(height_ - 1, static_cast<int>(std::floor(bottom - 0.5)));
  std::vector<double> xs;
  for (int y = y0; y <= y1; ++y) {
    const double sy = y + 0.5;  // the pixel centre's row
    xs.clear();
    for (size_t i = 0; i < pts.size(); ++i) {
      const auto& a = pts[i];
      const auto& b = pts[(i + 1) % pts.size()];
      if ((a.second <= sy) == (b.second <= sy)) continue;  // the edge does not cross this row
      xs.push_back(a.first + (sy - a.second) * (b.first - a.first) / (b.second - a.second));
    }
    std::sort(xs.begin(), xs.end());
    for (size_t k = 0; k + 1 < xs.size(); k += 2) {
      const int x0 = std::max(0, static_cast<int>(std::ceil(xs[k] - 0.5)));
      const int x1 = std::min(width_ - 1, static_cast<int>(std::floor(xs[k + 1] - 0.5)));
      uint8_t* p = pixels_.data() + (static_cast<size_t>(y) * width_ + x0) * 3;
      for (int x = x0; x <= x1; ++x, p += 3) p[0] = c.r, p[1] = c.g, p[2] = c.b;
    }
  }
}

void Canvas::circle(double cx, double cy, double r, Rgb c) {
  const int y0 = std::max(0, static_cast<int>(std::floor(cy - r)));
  const int y1 = std::min(height_ - 1, static_cast<int>(std::ceil(cy + r)));
  for (int y = y0; y <= y1; ++y) {
    const double dy = y + 0.5 - cy;
    if (dy * dy > r * r) continue;
    const double half = std::sqrt(r * r - dy * dy);
    const int x0 = std::max(0, static_cast<int>(std::ceil(cx - half - 0.5)));
    const int x1 = std::min(width_ - 1, static_cast<int>(std::floor(cx + half - 0.5)));
    uint8_t* p = pixels_.data() + (static_cast<size_t>(y) * width_ + x0) * 3;
    for (int x = x0; x <= x1; ++x, p += 3) p[0] = c.r, p[1] = c.g, p[2] = c.b;
  }
}

void Canvas::line(double x0, double y0, double x1, double y1, double thickness, Rgb c) {
  const double dx = x1 - x0, dy = y1 - y0, len = std::hypot(dx, dy);
  if (len == 0) return;
  const double nx = -dy / len * thickness / 2, ny = dx / len * thickness / 2;
  polygon({{x0 + nx, y0 + ny}, {x1 + nx, y1 + ny}, {x1 - nx, y1 - ny}, {x0 - nx, y0 - ny}}, c);
}

void Canvas::flip_vertical() {
  const size_t row = static_cast<size_t>(width_) * 3;
  for (int y = 0; y < height_ / 2; ++y)
    std::swap_ranges(pixels_.begin() + y * row, pixels_.begin() + (y + 1) * row,
                     pixels_.begin() + (height_ - 1 - y) * row);
}

Rgb Canvas::at(int x, int y) const {
  const uint8_t* p = pixels_.data() + (static_cast<size_t>(y) * width_ + x) * 3;
  return {p[0], p[1], p[2]};
}

Array Canvas::to_array() const {
  Array a;
  a.dtype = DType::UInt8;
  a.shape = {height_, width_, 3};
  a.bytes = pixels_;
  return a;
}

}  // namespace rlarena
