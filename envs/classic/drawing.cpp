#include "envs/classic/drawing.h"

#include <cmath>

#include "envs/render/canvas.h"

namespace rlarena::classic_drawing {

namespace {
using Points = std::vector<std::pair<double, double>>;
constexpr Rgb kWhite{255, 255, 255}, kBlack{0, 0, 0};

// Rotates by `angle` (counter-clockwise, y up) then moves by (dx, dy).
Points placed(const Points& pts, double angle, double dx, double dy) {
  Points out;
  const double c = std::cos(angle), s = std::sin(angle);
  for (const auto& [x, y] : pts) out.emplace_back(x * c - y * s + dx, x * s + y * c + dy);
  return out;
}
Points box(double l, double r, double t, double b) { return {{l, b}, {l, t}, {r, t}, {r, b}}; }
}  // namespace

// Gymnasium's CartPoleEnv.render: 600x400, the cart 50x30 at y = 100, pole 10 wide.
Array cartpole(double x, double theta, double x_threshold, double pole_length) {
  constexpr int kW = 600, kH = 400;
  const double scale = kW / (2 * x_threshold);
  const double pole_w = 10, pole_len = scale * (2 * pole_length), cart_w = 50, cart_h = 30;
  const double cart_x = x * scale + kW / 2.0, cart_y = 100, axle = cart_h / 4;
  Canvas c(kW, kH, kWhite);
  c.polygon(placed(box(-cart_w / 2, cart_w / 2, cart_h / 2, -cart_h / 2), 0, cart_x, cart_y), kBlack);
  c.polygon(placed(box(-pole_w / 2, pole_w / 2, pole_len - pole_w / 2, -pole_w / 2), -theta, cart_x, cart_y + axle),
            {202, 152, 101});
  c.circle(cart_x, cart_y + axle, pole_w / 2, {129, 132, 203});
  c.line(0, cart_y, kW, cart_y, 1, kBlack);
  c.flip_vertical();  // drawn with y up
  return c.to_array();
}

// Gymnasium's PendulumEnv.render: 500x500, a rod of length 1 and width 0.2 (world
// units) from the centre. (Gymnasium also blits a torque arrow image; not drawn.)
Array pendulum(double theta) {
  constexpr int kSize = 500;
  const double scale = kSize / (2 * 2.2), offset = kSize / 2.0;
  const double rod_len = 1 * scale, rod_w = 0.2 * scale;
  const Rgb rod{204, 77, 77};
  Canvas c(kSize, kSize, kWhite);
  const double angle = theta + M_PI / 2;
  c.polygon(placed(box(0, rod_len, rod_w / 2, -rod_w / 2), angle, offset, offset), rod);
  c.circle(offset, offset, rod_w / 2, rod);
  c.circle(offset + rod_len * std::cos(angle), offset + rod_len * std::sin(angle), rod_w / 2, rod);
  c.circle(offset, offset, 0.05 * scale, kBlack);
  c.flip_vertical();
  return c.to_array();
}

// Gymnasium's MountainCarEnv.render: 600x400, the hill sin(3x) * 0.45 + 0.55, a
// 40x20 car tilted with the slope, two wheels, the goal flag.
Array mountain_car(double position, double goal_position) {
  constexpr int kW = 600, kH = 400;
  constexpr double kMin = -1.2, kMax = 0.6;
  const double scale = kW / (kMax - kMin);
  const auto height = [](double x) { return std::sin(3 * x) * 0.45 + 0.55; };
  Canvas c(kW, kH, kWhite);
  for (int i = 0; i + 1 < 100; ++i) {
    const double x0 = kMin + (kMax - kMin) * i / 99, x1 = kMin + (kMax - kMin) * (i + 1) / 99;
    c.line((x0 - kMin) * scale, height(x0) * scale, (x1 - kMin) * scale, height(x1) * scale, 1.5, kBlack);
  }
  const double clearance = 10, car_w = 40, car_h = 20, angle = std::cos(3 * position);
  const double px = (position - kMin) * scale, py = clearance + height(position) * scale;
  c.polygon(placed(box(-car_w / 2, car_w / 2, car_h, 0), angle, px, py), kBlack);
  for (double wx : {car_w / 4, -car_w / 4}) {
    const auto w = placed({{wx, 0}}, angle, px, py)[0];
    c.circle(w.first, w.second, car_h / 2.5, {128, 128, 128});
  }
  const double flag_x = (goal_position - kMin) * scale, flag_y1 = height(goal_position) * scale, flag_y2 = flag_y1 + 50;
  c.line(flag_x, flag_y1, flag_x, flag_y2, 1, kBlack);
  c.polygon({{flag_x, flag_y2}, {flag_x, flag_y2 - 10}, {flag_x + 25, flag_y2 - 5}}, {204, 204, 0});
  c.flip_vertical();
  return c.to_array();
}

// Gymnasium's AcrobotEnv.render: 500x500, two links of length 1 (0.2 wide) hanging
// from the centre, the goal line one link length above the pivot.
Array acrobot(double theta1, double theta2) {
  constexpr int kSize = 500;
  const double bound = 1.0 + 1.0 + 0.2, scale = kSize / (bound * 2), offset = kSize / 2.0;
  Canvas c(kSize, kSize, kWhite);
  const double p1x = -std::cos(theta1) * scale, p1y = std::sin(theta1) * scale;
  // Gymnasium swaps the coordinates: (x, y) on screen = (p.y, p.x).
  const std::pair<double, double> joints[2] = {{0, 0}, {p1y, p1x}};
  const double angles[2] = {theta1 - M_PI / 2, theta1 + theta2 - M_PI / 2};
  c.line(-bound * scale + offset, 1 * scale + offset, bound * scale + offset, 1 * scale + offset, 1, kBlack);
  for (int k = 0; k < 2; ++k) {
    const double x = joints[k].first + offset, y = joints[k].second + offset;
    c.polygon(placed(box(0, scale, 0.1 * scale, -0.1 * scale), angles[k], x, y), {0, 204, 204});
    c.circle(x, y, 0.1 * scale, {204, 204, 0});
  }
  c.flip_vertical();
  return c.to_array();
}

}  // namespace rlarena::classic_drawing
