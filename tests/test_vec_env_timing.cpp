// VecEnv in wall-clock time: a slow env does not hold back the others in async
// mode. Timing needs an otherwise idle machine, so ctest runs this file's tests
// alone (RUN_SERIAL, tests/CMakeLists.txt).
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <thread>

#include "envs/core/registry.h"
#include "envs/core/vec_env.h"

using namespace rlarena;

namespace {
// A test env whose step sleeps slow_ms milliseconds; a test makes one env of a
// VecEnv slow through set_state.
class SleepyEnv final : public Env {
 public:
  SleepyEnv(const EnvSpec& spec, const Kwargs&)
      : Env(spec, Space::box(0, 1e9, {1}), Space::discrete(2)) {
    set_state_names({"t", "slow_ms"});
  }

 private:
  void do_reset() override { t_ = 0; }
  Transition do_step(const void*, double*) override {
    if (ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms_));
    ++t_;
    return {1.0, false};
  }
  void observe(void* obs) const override { *static_cast<float*>(obs) = static_cast<float>(t_); }
  void read_state(double* out) const override { out[0] = t_, out[1] = ms_; }
  void write_state(const double* in) override {
    t_ = static_cast<int64_t>(in[0]);
    ms_ = static_cast<int64_t>(in[1]);
  }
  int64_t t_ = 0, ms_ = 0;
};
const bool sleepy_registered = register_env<SleepyEnv>({"test/Sleepy-v0", 0, std::nullopt, {}, ""});
}  // namespace

TEST_CASE("Async VecEnv does not let a slow env hold back the others", "[vecenv][timing]") {
  // Env 0 sleeps 20 ms a step, envs 1-3 are instant; with batch_size 1 the fast
  // envs keep stepping while env 0 is busy on a worker.
  VecEnv venv("test/Sleepy-v0", 4, 0, 2, 1);
  venv.reset();
  venv.env(0).set_state({0, 20});
  const int64_t all[4] = {0, 1, 2, 3}, zeros[4] = {0, 0, 0, 0};
  venv.send(zeros, all, 4);
  std::map<int64_t, int64_t> steps;
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(300)) {
    const Batch& b = venv.recv();
    REQUIRE(b.size == 1);
    const int64_t id = b.env_ids[0];
    ++steps[id];
    REQUIRE(b.obs_row<float>(0)[0] == static_cast<float>(steps[id]));  // its own t
    venv.send(zeros, &id, 1);
  }
  const int64_t fast = steps[1] + steps[2] + steps[3];
  INFO("slow env steps " << steps[0] << ", fast env steps " << fast);
  CHECK(steps[0] <= 16);
  CHECK(fast > 20 * std::max<int64_t>(steps[0], 1));
}
