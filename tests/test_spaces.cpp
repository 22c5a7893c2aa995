#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "common/error.h"
#include "envs/core/space.h"

using namespace rlarena;

TEST_CASE("Box contains checks bounds, NaN and infinities", "[space]") {
  const Space box = Space::box({-1.0, 0.0}, {1.0, INFINITY}, {2});
  float in[2] = {0.5f, 1e30f}, low_out[2] = {-1.5f, 0.f}, nan[2] = {NAN, 0.f}, inf[2] = {0.f, INFINITY};
  CHECK(box.contains(in));
  CHECK_FALSE(box.contains(low_out));
  CHECK_FALSE(box.contains(nan));
  CHECK(box.contains(inf));  // an infinite bound admits infinity, as in Gymnasium
  CHECK(box.numel() == 2);
  CHECK(box.byte_size() == 8);
  CHECK(box.repr() == "Box([-1 0], [1 inf], (2,), float32)");
}

TEST_CASE("Box bounds are kept in float32 like Gymnasium's", "[space]") {
  const Space box = Space::box(-0.1, 0.1, {1});
  CHECK(box.low()[0] == static_cast<double>(-0.1f));
  float edge = 0.1f;
  CHECK(box.contains(&edge));
}

TEST_CASE("Box sampling follows Gymnasium's rules per side", "[space]") {
  Rng rng(1);
  const Space bounded = Space::box(-2.0, 2.0, {3});
  const Space lower_only = Space::box({1.0}, {INFINITY}, {1});
  const Space upper_only = Space::box({-INFINITY}, {-3.0}, {1});
  const Space pixels = Space::box(0, 255, {4, 4, 3}, DType::UInt8);
  double mean = 0;
  for (int i = 0; i < 2000; ++i) {
    float v[3], lo, hi;
    bounded.sample(rng, v);
    REQUIRE(bounded.contains(v));
    mean += v[0] / 2000;
    lower_only.sample(rng, &lo);
    REQUIRE(lo >= 1.0f);
    upper_only.sample(rng, &hi);
    REQUIRE(hi <= -3.0f);
    uint8_t img[48];
    pixels.sample(rng, img);
    REQUIRE(pixels.contains(img));
  }
  CHECK(std::abs(mean) < 0.1);  // uniform on [-2, 2]: sd of the mean ~0.026
}

TEST_CASE("Discrete, MultiDiscrete and MultiBinary sample inside and reject outside", "[space]") {
  Rng rng(2);
  const Space d = Space::discrete(3, 1);
  int counts[5] = {0, 0, 0, 0, 0};
  for (int i = 0; i < 3000; ++i) {
    int64_t a;
    d.sample(rng, &a);
    REQUIRE(d.contains(&a));
    ++counts[a];
  }
  CHECK(counts[0] == 0);
  CHECK(counts[4] == 0);
  for (int k = 1; k <= 3; ++k) CHECK(counts[k] > 900);
  int64_t bad = 4;
  CHECK_FALSE(d.contains(&bad));
  CHECK(d.repr() == "Discrete(3, start=1)");

  const Space md = Space::multi_discrete({2, 5});
  int64_t m[2] = {1, 5};
  CHECK_FALSE(md.contains(m));
  m[1] = 4;
  CHECK(md.contains(m));
  CHECK(md.repr() == "MultiDiscrete([2 5])");

  const Space mb = Space::multi_binary(3);
  int8_t b[3] = {0, 1, 2};
  CHECK_FALSE(mb.contains(b));
  b[2] = 1;
  CHECK(mb.contains(b));
  CHECK(mb.dtype() == DType::Int8);
}

TEST_CASE("Dict and Tuple lay children out one after another", "[space]") {
  const Space agents = Space::dict({{"pos", Space::box(-1, 1, {2})}, {"move", Space::discrete(4)}});
  CHECK(agents.byte_size() == 2 * 4 + 8);
  CHECK(agents.numel() == 3);
  CHECK(agents.keys() == std::vector<std::string>{"pos", "move"});
  CHECK(agents.repr() == "Dict('pos': Box(-1, 1, (2,), float32), 'move': Discrete(4))");
  uint8_t buf[16];
  Rng rng(3);
  agents.sample(rng, buf);
  CHECK(agents.contains(buf));
  int64_t bad_move = 7;
  std::memcpy(buf + 8, &bad_move, 8);
  CHECK_FALSE(agents.contains(buf));

  const Space pair = Space::tuple({Space::discrete(2), Space::discrete(2)});
  CHECK(pair.repr() == "Tuple(Discrete(2), Discrete(2))");
  CHECK_THROWS_AS(Space::dict({{"a", Space::discrete(2)}, {"a", Space::discrete(2)}}), Error);
}

TEST_CASE("Spaces reject malformed definitions", "[space]") {
  CHECK_THROWS_AS(Space::discrete(0), Error);
  CHECK_THROWS_AS(Space::box({1.0}, {0.0}, {1}), Error);
  CHECK_THROWS_AS(Space::box({0.0}, {1.0, 2.0}, {1}), Error);
  CHECK_THROWS_AS(Space::multi_discrete({2, 0}), Error);
}

TEST_CASE("Rng streams are reproducible and differ by seed", "[space]") {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.next_u64();
    REQUIRE(x == b.next_u64());
    (void)c;
  }
  Rng d(42);
  CHECK(Rng(42).next_u64() != Rng(43).next_u64());
  const auto st = d.state();
  const double u = d.uniform();
  d.set_state(st);
  CHECK(d.uniform() == u);
}
