// The conformance template: every registered env, now and in later suites, must
// pass these Gymnasium API checks.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <map>

#include "common/error.h"
#include "envs/core/check_env.h"
#include "envs/core/registry.h"
#include "envs/core/vec_env.h"

using namespace rlarena;

namespace {
// A broken env for check_env to catch: its observation leaves its space at step 4,
// and its reset ignores the seed.
class LeakyEnv final : public Env {
 public:
  LeakyEnv(const EnvSpec& spec, const Kwargs&) : Env(spec, Space::box(-1, 1, {1}), Space::discrete(2)) {
    set_state_names({"t"});
  }

 private:
  void do_reset() override { t_ = 0; }
  Transition do_step(const void*, double*) override {
    ++t_;
    return {1.0, false};
  }
  void observe(void* obs) const override { *static_cast<float*>(obs) = t_ >= 4 ? 2.f : 0.1f * t_; }
  void read_state(double* out) const override { out[0] = static_cast<double>(t_); }
  void write_state(const double* in) override { t_ = static_cast<int64_t>(in[0]); }
  int64_t t_ = 0;
};
const bool leaky_registered = register_env<LeakyEnv>({"test/Leaky-v0", 10, std::nullopt, {}, ""});
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

TEST_CASE("conformance: every registered env passes check_env", "[conformance]") {
  const auto id = GENERATE(from_range(user_envs()));
  INFO("env " << id);
  const auto checks = check_env(id);
  CHECK(checks.size() == 8);
  for (const EnvCheck& c : checks) {
    INFO(c.name << ": " << c.detail);
    CHECK(c.passed);
  }
  CHECK(make(id)->spec().max_episode_steps > 0);
}

TEST_CASE("check_env names what a broken env gets wrong", "[conformance]") {
  std::map<std::string, EnvCheck> by_name;
  for (const EnvCheck& c : check_env("test/Leaky-v0")) by_name[c.name] = c;
  const EnvCheck& seeded = by_name.at("a seeded reset is reproducible and seeds differ");
  CHECK_FALSE(seeded.passed);
  CHECK_THAT(seeded.detail, Catch::Contains("reset(seed=123) and reset(seed=124) gave the same observation"));
  const EnvCheck& steps = by_name.at("observations stay in the space, rewards are finite, the time limit truncates");
  CHECK_FALSE(steps.passed);
  CHECK(steps.detail == "the observation is outside the observation space at step 4");
  CHECK_FALSE(by_name.at("render gives an RGB frame").passed);
  CHECK(by_name.at("bad actions are refused with the env's id").passed);
  CHECK(by_name.at("get_state/set_state round-trip and replay the same future").passed);
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
