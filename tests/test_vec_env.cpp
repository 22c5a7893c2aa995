// VecEnv: same results as single envs, same-step autoreset, bit-identical across
// thread counts and between sync and async modes, async batches and errors. (The
// wall-clock test of slow envs is in test_vec_env_timing.cpp, run alone.)
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstring>
#include <map>

#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/core/vec_env.h"

using namespace rlarena;

namespace {
// Deterministic action for env `i` at its `t`-th step, so every layout sees the same.
int64_t action_of(int64_t i, int64_t t) { return ((i * 7 + t * 13) >> 2) & 1; }


struct Trace {
  std::vector<std::vector<uint8_t>> obs, final_obs;
  std::vector<double> reward, ret;
  std::vector<int> flags;
};

// Runs `steps` sync steps and records everything per env.
std::vector<Trace> run_sync(const std::string& id, int64_t n, int threads, int steps) {
  VecEnv venv(id, n, 11, threads);
  std::vector<Trace> traces(n);
  venv.reset();
  std::vector<int64_t> actions(n);
  for (int t = 0; t < steps; ++t) {
    for (int64_t i = 0; i < n; ++i) actions[i] = action_of(i, t);
    const Batch& b = venv.step(actions);
    for (int64_t i = 0; i < n; ++i) {
      const auto* o = b.obs_row<uint8_t>(i);
      traces[i].obs.emplace_back(o, o + b.obs_bytes);
      traces[i].reward.push_back(b.reward[i]);
      traces[i].ret.push_back(b.episode_return[i]);
      traces[i].flags.push_back(b.terminated[i] * 2 + b.truncated[i]);
      if (b.done(i)) {
        const auto* f = b.final_obs_row<uint8_t>(i);
        traces[i].final_obs.emplace_back(f, f + b.obs_bytes);
      }
    }
  }
  return traces;
}
}  // namespace

TEST_CASE("VecEnv env i behaves like a single env seeded seed + i, with same-step autoreset", "[vecenv]") {
  const int64_t n = 4;
  VecEnv venv("CartPole-v1", n, 100, 1);
  std::vector<std::unique_ptr<Env>> single;
  const Batch& first = venv.reset();
  for (int64_t i = 0; i < n; ++i) {
    single.push_back(make("CartPole-v1"));
    const Array o = single[i]->reset(100 + i);
    REQUIRE(std::memcmp(first.obs_row<uint8_t>(i), o.data(), o.bytes.size()) == 0);
  }
  std::vector<double> returns(n, 0.0);
  int finished = 0;
  std::vector<int64_t> actions(n);
  for (int t = 0; t < 300; ++t) {
    for (int64_t i = 0; i < n; ++i) actions[i] = action_of(i, t);
    const Batch& b = venv.step(actions);
    for (int64_t i = 0; i < n; ++i) {
      const StepResult r = single[i]->step(actions[i]);
      returns[i] += r.reward;
      REQUIRE(b.reward[i] == r.reward);
      REQUIRE(bool(b.terminated[i]) == r.terminated);
      REQUIRE(bool(b.truncated[i]) == r.truncated);
      REQUIRE(b.episode_return[i] == returns[i]);
      if (r.terminated || r.truncated) {
        ++finished;
        REQUIRE(std::memcmp(b.final_obs_row<uint8_t>(i), r.obs.data(), r.obs.bytes.size()) == 0);
        REQUIRE(b.episode_length[i] == single[i]->elapsed_steps());
        const Array next = single[i]->reset();  // continues the env's stream, unseeded
        REQUIRE(std::memcmp(b.obs_row<uint8_t>(i), next.data(), next.bytes.size()) == 0);
        returns[i] = 0;
      } else {
        REQUIRE(std::memcmp(b.obs_row<uint8_t>(i), r.obs.data(), r.obs.bytes.size()) == 0);
      }
    }
  }
  CHECK(finished > 5);
}

TEST_CASE("VecEnv results are bit-identical at 1, 2 and 3 threads", "[vecenv]") {
  for (const char* id : {"CartPole-v1", "Acrobot-v1"}) {
    INFO(id);
    const auto one = run_sync(id, 37, 1, 400);
    const auto two = run_sync(id, 37, 2, 400);
    const auto three = run_sync(id, 37, 3, 400);
    for (int64_t i = 0; i < 37; ++i) {
      REQUIRE(one[i].obs == two[i].obs);
      REQUIRE(one[i].obs == three[i].obs);
      REQUIRE(one[i].final_obs == two[i].final_obs);
      REQUIRE(one[i].final_obs == three[i].final_obs);
      REQUIRE(one[i].reward == three[i].reward);
      REQUIRE(one[i].ret == three[i].ret);
      REQUIRE(one[i].flags == two[i].flags);
    }
  }
}

TEST_CASE("Async VecEnv gives each env the same trajectory as sync mode", "[vecenv]") {
  const int64_t n = 12;
  const int steps = 200;
  const auto sync = run_sync("CartPole-v1", n, 1, steps);
  for (int threads : {1, 2}) {
    for (int64_t batch : {n, n / 2, int64_t{5}}) {
      INFO("threads " << threads << " batch " << batch);
      VecEnv venv("CartPole-v1", n, 11, threads, batch);
      CHECK(venv.batch_size() == batch);
      std::vector<Trace> traces(n);
      std::vector<int64_t> t_of(n, -1);  // steps taken by each env; -1: reset pending
      venv.async_reset();
      std::vector<int64_t> ids(batch), actions(batch);
      bool more = true;
      while (more) {
        const Batch& b = venv.recv();
        REQUIRE(b.size == batch);
        std::vector<int64_t> seen(b.env_ids, b.env_ids + b.size);
        std::sort(seen.begin(), seen.end());
        REQUIRE(std::unique(seen.begin(), seen.end()) == seen.end());
        int64_t k_out = 0;
        for (int64_t k = 0; k < b.size; ++k) {
          const int64_t i = b.env_ids[k];
          if (t_of[i] >= 0) {
            const auto* o = b.obs_row<uint8_t>(k);
            traces[i].obs.emplace_back(o, o + b.obs_bytes);
            traces[i].reward.push_back(b.reward[k]);
            traces[i].ret.push_back(b.episode_return[k]);
            traces[i].flags.push_back(b.terminated[k] * 2 + b.truncated[k]);
            if (b.done(k)) {
              const auto* f = b.final_obs_row<uint8_t>(k);
              traces[i].final_obs.emplace_back(f, f + b.obs_bytes);
            }
          }
          ++t_of[i];
          if (t_of[i] < steps) {
            ids[k_out] = i;
            actions[k_out++] = action_of(i, t_of[i]);
          }
        }
        venv.send(actions.data(), ids.data(), k_out);
        more = false;
        for (int64_t i = 0; i < n; ++i) more = more || t_of[i] < steps;
        // Finish the envs still in flight: stop when fewer than a batch remain.
        int64_t in_flight = 0;
        for (int64_t i = 0; i < n; ++i) in_flight += t_of[i] < steps;
        if (in_flight < batch) break;
      }
      for (int64_t i = 0; i < n; ++i) {
        const size_t m = traces[i].obs.size();
        REQUIRE(m > 0);
        for (size_t t = 0; t < m; ++t) {
          REQUIRE(traces[i].obs[t] == sync[i].obs[t]);
          REQUIRE(traces[i].reward[t] == sync[i].reward[t]);
          REQUIRE(traces[i].ret[t] == sync[i].ret[t]);
          REQUIRE(traces[i].flags[t] == sync[i].flags[t]);
        }
        for (size_t e = 0; e < traces[i].final_obs.size(); ++e)
          REQUIRE(traces[i].final_obs[e] == sync[i].final_obs[e]);
      }
    }
  }
}


TEST_CASE("VecEnv reports misuse as errors naming the fix", "[vecenv]") {
  CHECK_THROWS_WITH(VecEnv("CartPole-v1", 0, 0), Catch::Contains("num_envs"));
  CHECK_THROWS_WITH(VecEnv("CartPole-v1", 4, 0, 0), Catch::Contains("num_threads"));
  CHECK_THROWS_WITH(VecEnv("CartPole-v1", 4, 0, 1, 5), Catch::Contains("batch_size"));
  CHECK_THROWS_WITH(VecEnv("CartPol-v1", 4, 0), Catch::Contains("CartPole-v1"));

  for (int threads : {1, 2}) {
    VecEnv venv("CartPole-v1", 4, 0, threads, 2);
    venv.reset();
    CHECK_THROWS_WITH(venv.step(std::vector<int64_t>{0, 1, 0}), Catch::Contains("4 x 1 int64"));
    CHECK_THROWS_WITH(venv.step(std::vector<int64_t>{0, 1, 7, 0}),
                      Catch::Contains("CartPole-v1") && Catch::Contains("action 7"));
    venv.step(std::vector<int64_t>{0, 1, 1, 0});  // still usable after the error

    const int64_t ids[2] = {0, 1}, acts[2] = {1, 5};
    venv.send(acts, ids, 2);
    CHECK_THROWS_WITH(venv.send(acts, ids, 1), Catch::Contains("twice"));
    CHECK_THROWS_WITH(venv.step(std::vector<int64_t>{0, 1, 1, 0}), Catch::Contains("in flight"));
    CHECK_THROWS_WITH(venv.recv(), Catch::Contains("action 5"));
    const int64_t bad_id = 9;
    CHECK_THROWS_WITH(venv.send(acts, &bad_id, 1), Catch::Contains("env id 9"));
  }
}

TEST_CASE("VecEnv continuous actions and info buffers", "[vecenv]") {
  VecEnv venv("Pendulum-v1", 3, 5, 2);
  const Batch& r = venv.reset();
  CHECK(r.size == 3);
  CHECK(r.obs_bytes == 12);
  auto single = make("Pendulum-v1");
  const Array o = single->reset(7);
  CHECK(std::memcmp(r.obs_row<uint8_t>(2), o.data(), 12) == 0);
  const Batch& b = venv.step(std::vector<float>{0.5f, -0.5f, 3.f});
  const StepResult s = single->step(std::vector<float>{3.f});
  CHECK(b.reward[2] == s.reward);
  CHECK_THROWS_WITH(venv.step(std::vector<float>{0.f, NAN, 0.f}), Catch::Contains("not finite"));
}
