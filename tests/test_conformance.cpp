// The conformance template: every registered env, now and in later suites, must
// pass these Gymnasium API checks.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/core/vec_env.h"

using namespace rlarena;

namespace {
Array random_action(const Env& env, Rng& rng) {
  Array a = Array::zeros(env.action_space());
  env.action_space().sample(rng, a.data());
  return a;
}
}  // namespace

namespace {
// Every env users can make; "test/" ids belong to tests of the machinery itself.
std::vector<std::string> user_envs() {
  std::vector<std::string> ids;
  for (const auto& id : Registry::global().ids())
    if (id.rfind("test/", 0) != 0) ids.push_back(id);
  return ids;
}
}  // namespace

TEST_CASE("conformance: every registered env", "[conformance]") {
  const auto id = GENERATE(from_range(user_envs()));
  INFO("env " << id);
  auto env = make(id);
  const Space& obs_space = env->observation_space();
  const Space& act_space = env->action_space();

  SECTION("spaces have Gymnasium's dtypes") {
    CHECK((obs_space.dtype() == DType::Float32 || obs_space.dtype() == DType::UInt8));
    if (act_space.kind() == Space::Kind::Discrete) CHECK(act_space.dtype() == DType::Int64);
    if (act_space.kind() == Space::Kind::Box) CHECK(act_space.dtype() == DType::Float32);
    CHECK(env->spec().id == id);
    CHECK(env->spec().max_episode_steps > 0);
  }

  SECTION("a seeded reset is reproducible and seeds differ") {
    const Array a = env->reset(123), b = env->reset(123), c = env->reset(124);
    CHECK(a.bytes == b.bytes);
    CHECK(a.bytes != c.bytes);
    CHECK(a.bytes.size() == obs_space.byte_size());
    // Without a seed the stream continues: same as a fresh env's second reset.
    auto other = make(id);
    other->reset(123);
    env->reset(123);
    CHECK(env->reset().bytes == other->reset().bytes);
  }

  SECTION("observations stay inside the space; the time limit truncates, never terminates") {
    Rng rng(7);
    Array obs = env->reset(7);
    CHECK(obs_space.contains(obs.data()));
    const int64_t limit = env->spec().max_episode_steps;
    int64_t t = 0;
    for (;;) {
      const StepResult r = env->step(random_action(*env, rng));
      ++t;
      REQUIRE(obs_space.contains(r.obs.data()));
      REQUIRE(r.obs.bytes.size() == obs_space.byte_size());
      REQUIRE(std::isfinite(r.reward));
      REQUIRE(r.truncated == (t == limit));
      REQUIRE(env->elapsed_steps() == t);
      if (r.terminated || r.truncated) break;
    }
    CHECK(t <= limit);
  }

  SECTION("a short time limit truncates exactly at its step") {
    auto short_env = make(id, {{"max_episode_steps", "3"}});
    Rng rng(8);
    short_env->reset(8);
    StepResult r;
    for (int t = 1; t <= 3; ++t) {
      r = short_env->step(random_action(*short_env, rng));
      if (r.terminated) break;  // a real terminal state may come first
      REQUIRE(r.truncated == (t == 3));
    }
  }

  SECTION("bad actions are rejected with the env's name") {
    env->reset(0);
    if (act_space.kind() == Space::Kind::Discrete) {
      CHECK_THROWS_WITH(env->step(act_space.n() + act_space.start()), Catch::Contains(id));
      CHECK_THROWS_AS(env->step(int64_t{-1}), Error);
      CHECK_THROWS_AS(env->step(std::vector<float>{0.f}), Error);
    } else {
      std::vector<float> nan(act_space.numel(), 0.f);
      nan[0] = NAN;
      CHECK_THROWS_WITH(env->step(nan), Catch::Contains(id) && Catch::Contains("not finite"));
      CHECK_THROWS_AS(env->step(std::vector<float>(act_space.numel() + 1, 0.f)), Error);
    }
  }

  SECTION("get_state/set_state round-trip and replay the same future") {
    Rng rng(9);
    env->reset(9);
    for (int i = 0; i < 5; ++i) env->step(random_action(*env, rng));
    const std::vector<double> state = env->get_state();
    CHECK(state.size() == env->state_names().size());
    std::vector<Array> actions;
    std::vector<std::vector<uint8_t>> first;
    for (int i = 0; i < 5; ++i) {
      actions.push_back(random_action(*env, rng));
      first.push_back(env->step(actions.back()).obs.bytes);
    }
    env->set_state(state);
    CHECK(env->get_state() == state);
    if (env->set_state_replays())
      for (int i = 0; i < 5; ++i) CHECK(env->step(actions[i]).obs.bytes == first[i]);
    CHECK_THROWS_AS(env->set_state(std::vector<double>(state.size() + 1, 0.0)), Error);
  }
}

TEST_CASE("conformance: a VecEnv restored from a snapshot continues bit for bit", "[conformance][checkpoint]") {
  const auto id = GENERATE(from_range(user_envs()));
  INFO("env " << id);
  // A short time limit so that episodes end (and restart) before the snapshot.
  const Kwargs kwargs = Kwargs::parse({"max_episode_steps=25"});
  const int64_t n = 3;
  VecEnv a(id, n, 11, 1, 0, kwargs);
  a.record_episodes(true);
  a.reset();
  Rng rng(5);
  const size_t act_bytes = a.action_space().byte_size();
  std::vector<uint8_t> actions(n * act_bytes);
  auto draw = [&] {
    for (int64_t i = 0; i < n; ++i) a.action_space().sample(rng, actions.data() + i * act_bytes);
  };
  const Batch* now = nullptr;
  for (int t = 0; t < 37; ++t) draw(), now = &a.step(actions.data());
  const std::vector<uint8_t> obs_at_snap(static_cast<const uint8_t*>(now->obs),
                                         static_cast<const uint8_t*>(now->obs) + n * now->obs_bytes);
  std::vector<int64_t> length_at_snap(now->episode_length, now->episode_length + n);
  std::vector<double> return_at_snap(now->episode_return, now->episode_return + n);
  for (int64_t i = 0; i < n; ++i)
    if (now->done(i)) length_at_snap[i] = 0, return_at_snap[i] = 0;  // a new episode has begun
  const VecEnv::Snapshot snap = a.snapshot();

  // A fresh VecEnv with another seed: the snapshot alone decides its state.
  VecEnv b(id, n, 999, 1, 0, kwargs);
  b.record_episodes(true);
  const Batch& restored = b.restore(snap);
  REQUIRE(std::memcmp(restored.obs, obs_at_snap.data(), obs_at_snap.size()) == 0);
  for (int64_t i = 0; i < n; ++i) {
    CHECK(restored.episode_length[i] == length_at_snap[i]);
    CHECK(restored.episode_return[i] == return_at_snap[i]);
  }
  // Both continue identically through further autoresets.
  for (int t = 0; t < 40; ++t) {
    draw();
    const Batch& x = a.step(actions.data());
    const Batch& y = b.step(actions.data());
    REQUIRE(std::memcmp(x.obs, y.obs, n * x.obs_bytes) == 0);
    REQUIRE(std::memcmp(x.reward, y.reward, n * sizeof(double)) == 0);
    REQUIRE(std::memcmp(x.terminated, y.terminated, n) == 0);
    REQUIRE(std::memcmp(x.truncated, y.truncated, n) == 0);
    REQUIRE(std::memcmp(x.episode_return, y.episode_return, n * sizeof(double)) == 0);
  }
}
