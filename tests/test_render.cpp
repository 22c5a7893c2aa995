// Pictures of the 2D envs: Gymnasium's sizes and known pixels of known scenes, and
// the software rasterizer they draw with.
#include <catch2/catch.hpp>

#include "envs/core/registry.h"
#include <map>

#include "envs/render/canvas.h"

using namespace rlarena;

namespace {
Rgb pixel(const Array& frame, int x, int y) {
  const uint8_t* p = frame.as<uint8_t>() + (static_cast<size_t>(y) * frame.shape[1] + x) * 3;
  return {p[0], p[1], p[2]};
}
bool same(Rgb a, Rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }
}  // namespace

TEST_CASE("Canvas fills polygons, circles and lines at pixel centres", "[render]") {
  Canvas c(10, 8, {0, 0, 0});
  c.polygon({{2, 1}, {6, 1}, {6, 4}, {2, 4}}, {255, 0, 0});  // covers pixel centres x 2..5, y 1..3
  CHECK(same(c.at(2, 1), {255, 0, 0}));
  CHECK(same(c.at(5, 3), {255, 0, 0}));
  CHECK(same(c.at(6, 3), {0, 0, 0}));
  CHECK(same(c.at(5, 4), {0, 0, 0}));
  c.circle(8, 6, 1.2, {0, 255, 0});
  CHECK(same(c.at(7, 5), {0, 255, 0}));
  CHECK(same(c.at(9, 7), {0, 0, 0}));  // (9.5, 7.5) is 2.1 from the centre: outside
  c.line(0, 7.5, 10, 7.5, 1, {0, 0, 255});
  CHECK(same(c.at(0, 7), {0, 0, 255}));
  c.flip_vertical();
  CHECK(same(c.at(2, 6), {255, 0, 0}));  // row 1 is now row 6
}

TEST_CASE("2D envs render Gymnasium's picture sizes", "[render]") {
  const std::map<std::string, std::vector<int64_t>> sizes = {
      {"CartPole-v1", {400, 600, 3}},    {"Pendulum-v1", {500, 500, 3}},
      {"MountainCar-v0", {400, 600, 3}}, {"MountainCarContinuous-v0", {400, 600, 3}},
      {"Acrobot-v1", {500, 500, 3}},     {"LunarLander-v3", {400, 600, 3}},
      {"BipedalWalker-v3", {400, 600, 3}}, {"CarRacing-v3", {400, 600, 3}},
  };
  for (const auto& [id, shape] : sizes) {
    INFO(id);
    auto env = make(id);
    env->reset(0);
    const Array frame = env->render();
    CHECK(frame.dtype == DType::UInt8);
    CHECK(frame.shape == shape);
  }
}

TEST_CASE("Known scenes have known pixels", "[render]") {
  SECTION("CartPole upright at the centre: black cart, brown pole, blue axle") {
    auto env = make("CartPole-v1");
    env->reset(0);
    env->set_state({0, 0, 0, 0});
    const Array f = env->render();
    // Cart 50x30 centred at x = 300, y = 100 from the bottom; axle 7.5 above; pole 125 long.
    CHECK(same(pixel(f, 300, 400 - 90), {0, 0, 0}));
    CHECK(same(pixel(f, 300, 400 - 170), {202, 152, 101}));
    CHECK(same(pixel(f, 300, 400 - 108), {129, 132, 203}));
    CHECK(same(pixel(f, 100, 50), {255, 255, 255}));
    // Moved right by 1 m = 125 pixels.
    env->set_state({1, 0, 0, 0});
    CHECK(same(pixel(env->render(), 425, 400 - 90), {0, 0, 0}));
  }
  SECTION("LunarLander: the lander's purple body where the lander is, black sky, white ground") {
    auto env = make("LunarLander-v3");
    env->reset(3);
    for (int t = 0; t < 40; ++t) env->step(int64_t{0});  // it starts at the top edge: let it fall into view
    const auto s = env->get_state();  // x, y in metres; 30 pixels a metre, y up
    const Array f = env->render();
    CHECK(same(pixel(f, static_cast<int>(s[0] * 30), static_cast<int>(400 - (s[1] + 0.1) * 30)), {128, 102, 230}));
    CHECK(same(pixel(f, 5, 5), {0, 0, 0}));
    CHECK(same(pixel(f, 300, 395), {255, 255, 255}));
  }
}
