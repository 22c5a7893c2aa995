// ReplayStore, VecWriter and samplers: every stored transition equals what the
// VecEnv produced (next observations through links and final observations),
// memory, the ring, sampler statistics, segment order, no boundary crossing,
// same seed -> same samples, and the errors.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <map>

#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/core/vec_env.h"
#include "replay/samplers.h"
#include "replay/store.h"
#include "replay/vec_writer.h"
#include "replay_helpers.h"

using namespace rlarena;

namespace {

// One transition as the VecEnv reported it.
struct Step {
  std::vector<uint8_t> obs, next_obs;
  int64_t action;
  float reward;
  bool terminated, truncated;
};

std::vector<uint8_t> row_bytes(const void* p, size_t n) {
  const auto* b = static_cast<const uint8_t*>(p);
  return {b, b + n};
}

// Runs `steps` sync CartPole steps into `store` and returns every transition per env.
std::vector<std::vector<Step>> fill(ReplayStore& store, int64_t envs, int steps, uint64_t seed = 5) {
  VecEnv venv("CartPole-v1", envs, seed, 1);
  VecWriter writer(store, envs);
  const size_t ob = venv.observation_space().byte_size();
  std::vector<std::vector<Step>> trace(envs);
  const Batch* b = &venv.reset();
  writer.reset(*b);
  std::vector<std::vector<uint8_t>> current(envs);
  for (int64_t e = 0; e < envs; ++e) current[e] = row_bytes(b->obs_row<uint8_t>(e), ob);
  std::vector<int64_t> actions(envs);
  for (int t = 0; t < steps; ++t) {
    for (int64_t e = 0; e < envs; ++e) actions[e] = (t * 7 + e * 3) % 5 < 2 ? 1 : 0;
    b = &venv.step(actions);
    writer.add(*b, actions.data());
    for (int64_t e = 0; e < envs; ++e) {
      trace[e].push_back({std::move(current[e]),
                          row_bytes(b->done(e) ? b->final_obs_row<uint8_t>(e) : b->obs_row<uint8_t>(e), ob),
                          actions[e], static_cast<float>(b->reward[e]), b->terminated[e] != 0,
                          b->truncated[e] != 0});
      current[e] = row_bytes(b->obs_row<uint8_t>(e), ob);
    }
  }
  return trace;
}

Space cartpole_obs() { return make("CartPole-v1")->observation_space(); }
Space cartpole_act() { return make("CartPole-v1")->action_space(); }

}  // namespace

TEST_CASE("VecWriter stores every VecEnv transition, next observations included", "[replay]") {
  const int64_t envs = 4;
  const int steps = 120;  // several CartPole episodes end in this many steps
  ReplayStore store(cartpole_obs(), cartpole_act(), 10000);
  const auto trace = fill(store, envs, steps);
  REQUIRE(store.size() == (steps + 1) * envs);
  REQUIRE(store.closed() == steps * envs);
  // A sync writer lays step t of env e at row t * envs + e.
  int64_t ends = 0;
  for (int64_t e = 0; e < envs; ++e)
    for (int t = 0; t < steps; ++t) {
      const int64_t row = t * envs + e;
      const Step& s = trace[e][t];
      INFO("env " << e << " step " << t);
      REQUIRE(row_bytes(store.obs(row), store.obs_bytes()) == s.obs);
      REQUIRE(row_bytes(store.next_obs(row), store.obs_bytes()) == s.next_obs);
      REQUIRE(*reinterpret_cast<const int64_t*>(store.action(row)) == s.action);
      REQUIRE(store.reward(row) == s.reward);
      REQUIRE(store.terminated(row) == s.terminated);
      REQUIRE(store.truncated(row) == s.truncated);
      if (s.terminated || s.truncated) {
        ++ends;
        CHECK(store.next_row(row) == -1);  // the final observation is kept aside
        CHECK(store.episode((t + 1) * envs + e) != store.episode(row));
      } else {
        CHECK(store.next_row(row) == row + envs);  // linked, not stored twice
        CHECK(store.episode(row + envs) == store.episode(row));
      }
    }
  CHECK(ends > 4);
}

TEST_CASE("ReplayStore memory is one copy of each column plus 4 bytes a row", "[replay]") {
  const Space obs = Space::box(-INFINITY, INFINITY, {17});
  const Space act = Space::box(-1, 1, {6});
  const int64_t capacity = 100000;
  ReplayStore store(obs, act, capacity);
  // observations, actions, rewards (float32), terminations, truncations, episode ids
  const double one_copy = capacity * (17 * 4 + 6 * 4 + 4 + 1 + 1 + 8);
  CHECK(store.memory_bytes() <= 1.1 * one_copy);
  CHECK(store.memory_bytes() >= one_copy);
}

TEST_CASE("A ReplayStore larger than the machine's memory is refused before it is allocated", "[replay]") {
  // 100k frames of 1M floats: 400 GB.
  CHECK_THROWS_WITH(ReplayStore(Space::box(0, 1, {1000000}), Space::discrete(2), 100000),
                    Catch::Contains("needs 400.") && Catch::Contains("give a smaller capacity"));
}

TEST_CASE("ReplayStore is a ring: old rows go, transitions stay right, final slots are reused", "[replay]") {
  const int64_t envs = 3, capacity = 60;
  ReplayStore store(cartpole_obs(), cartpole_act(), capacity);
  const int steps = 400;
  const auto trace = fill(store, envs, steps);
  CHECK(store.size() == capacity);
  CHECK(store.closed() == capacity - envs);
  // The surviving rows are the newest steps: row of (t, e) is (t * envs + e) % capacity.
  for (int t = steps - capacity / envs + 1; t < steps; ++t)
    for (int64_t e = 0; e < envs; ++e) {
      const int64_t row = (t * envs + e) % capacity;
      INFO("step " << t << " env " << e);
      REQUIRE(row_bytes(store.obs(row), store.obs_bytes()) == trace[e][t].obs);
      REQUIRE(row_bytes(store.next_obs(row), store.obs_bytes()) == trace[e][t].next_obs);
    }
  // Final observations live only as long as their rows: the pool stays small.
  const size_t pool_rows_bound = capacity * store.obs_bytes();
  CHECK(store.memory_bytes() < capacity * (store.obs_bytes() + 8 + 4 + 1 + 1 + 8 + 4) + pool_rows_bound);
}

TEST_CASE("Uniform sampling covers closed rows evenly and repeats with its seed", "[replay]") {
  ReplayStore store(cartpole_obs(), cartpole_act(), 1000);
  fill(store, 2, 50);  // 100 closed rows, 2 open ones
  UniformSampler sampler(3);
  SampleBatch batch;
  std::map<int64_t, int> counts;
  const int draws = 200, size = 500;
  for (int k = 0; k < draws; ++k) {
    sampler.sample(store, size, batch);
    for (int64_t r : batch.rows) ++counts[r];
  }
  REQUIRE(counts.size() == 100);  // every closed row, no open one
  const double expected = draws * size / 100.0;
  for (const auto& [row, n] : counts) {
    CHECK(store.is_closed(row));
    CHECK(std::abs(n - expected) < 5 * std::sqrt(expected));
  }
  // Samples carry their transitions.
  for (int64_t i = 0; i < batch.size; ++i) {
    const int64_t r = batch.rows[i];
    CHECK(std::memcmp(batch.next_obs.data() + i * store.obs_bytes(), store.next_obs(r), store.obs_bytes()) == 0);
    CHECK(batch.reward[i] == store.reward(r));
  }
  UniformSampler a(11), b(11);
  SampleBatch x, y;
  a.sample(store, 64, x);
  b.sample(store, 64, y);
  CHECK(x.rows == y.rows);
  CHECK(x.obs == y.obs);
}

TEST_CASE("The last segment [T, N] gives its flags and final observations in order", "[replay]") {
  const int64_t envs = 3;
  const int steps = 40, T = 16;
  ReplayStore store(cartpole_obs(), cartpole_act(), 4096);
  const auto trace = fill(store, envs, steps);
  SegmentEnds seg;
  last_segment_ends(store, T, envs, seg);
  const size_t ob = store.obs_bytes();
  int ended = 0;
  for (int t = 0; t < T; ++t)
    for (int64_t e = 0; e < envs; ++e) {
      const Step& s = trace[e][steps - T + t];
      const int64_t i = t * envs + e;
      REQUIRE(seg.terminated[i] == s.terminated);
      REQUIRE(seg.truncated[i] == s.truncated);
      if (!(s.terminated || s.truncated)) continue;
      REQUIRE(row_bytes(seg.final_obs.data() + i * ob, ob) == s.next_obs);
      ++ended;
    }
  CHECK(ended > 0);
  CHECK_THROWS_WITH(last_segment_ends(store, steps + 5, envs, seg), Catch::Contains("needs"));
  CHECK_THROWS_WITH(last_segment_ends(store, T, envs + 1, seg), Catch::Contains("sync VecWriter"));
}

TEST_CASE("Prioritized sampling follows p^alpha with Schaul's importance weights", "[replay]") {
  ReplayStore store(cartpole_obs(), cartpole_act(), 64);
  fill(store, 2, 10);  // 20 closed rows
  PrioritizedSampler sampler(store, 0.6, 7);
  std::vector<int64_t> rows;
  std::vector<double> prio;
  for (int64_t r = 0; r < 22; ++r)
    if (store.is_closed(r)) rows.push_back(r), prio.push_back(r % 4 == 0 ? 5.0 : 0.5);
  sampler.update(rows.data(), prio.data(), static_cast<int64_t>(rows.size()));
  double total = 0;
  for (double p : prio) total += std::pow(p + 1e-6, 0.6);
  SampleBatch batch;
  std::map<int64_t, int> counts;
  const int draws = 4000, size = 32;
  for (int k = 0; k < draws; ++k) {
    sampler.sample(size, 0.4, batch);
    for (int64_t i = 0; i < batch.size; ++i) {
      ++counts[batch.rows[i]];
      const double p = std::pow((batch.rows[i] % 4 == 0 ? 5.0 : 0.5) + 1e-6, 0.6) / total;
      const double p_min = std::pow(0.5 + 1e-6, 0.6) / total;
      REQUIRE(batch.weights[i] == Approx(std::pow(20 * p, -0.4) / std::pow(20 * p_min, -0.4)));
    }
  }
  for (size_t k = 0; k < rows.size(); ++k) {
    const double expected = draws * size * std::pow(prio[k] + 1e-6, 0.6) / total;
    CHECK(std::abs(counts[rows[k]] - expected) < 5 * std::sqrt(expected));
  }
  // A step closing now gets the largest priority so far; open rows have none.
  const std::vector<uint8_t> obs(2 * store.obs_bytes(), 0);
  const int64_t ids[2] = {100, 101};
  const int64_t first = store.open_rows(2, obs.data(), ids);
  CHECK(sampler.probability(first) == 0.0);
  const int64_t action = 1;
  store.close_row(20, &action, 1.0f, false, false, first, nullptr);
  CHECK(sampler.probability(20) == Approx(sampler.probability(0)));  // row 0 had priority 5
  double sum = 0;
  for (int64_t r = 0; r < store.capacity(); ++r) sum += store.is_closed(r) ? sampler.probability(r) : 0;
  CHECK(sum == Approx(1.0));
}

TEST_CASE("Sub-trajectories never cross an episode boundary", "[replay]") {
  ReplayStore store(cartpole_obs(), cartpole_act(), 4096);
  fill(store, 4, 300);
  TrajectorySampler sampler(9);
  SampleBatch batch;
  const int64_t B = 64, L = 8;
  for (int k = 0; k < 20; ++k) {
    sampler.sample(store, B, L, batch);
    REQUIRE(batch.size == B * L);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t t = 0; t + 1 < L; ++t) {
        const int64_t i = b * L + t;
        REQUIRE(store.episode(batch.rows[i]) == store.episode(batch.rows[i + 1]));
        REQUIRE_FALSE(batch.terminated[i]);
        REQUIRE_FALSE(batch.truncated[i]);
        REQUIRE(std::memcmp(batch.next_obs.data() + i * store.obs_bytes(),
                            batch.obs.data() + (i + 1) * store.obs_bytes(), store.obs_bytes()) == 0);
      }
  }
  TrajectorySampler again(9);
  SampleBatch first;
  again.sample(store, 4, L, first);
  TrajectorySampler same(9);
  SampleBatch second;
  same.sample(store, 4, L, second);
  CHECK(first.rows == second.rows);
  CHECK_THROWS_WITH(sampler.sample(store, 4, 600, batch), Catch::Contains("shorter length"));
}

TEST_CASE("ReplayStore misuse gives errors that name the fix", "[replay]") {
  ReplayStore small(cartpole_obs(), cartpole_act(), 6);
  CHECK_THROWS_WITH(VecWriter(small, 4), Catch::Contains("at least 8"));
  ReplayStore empty(cartpole_obs(), cartpole_act(), 16);
  UniformSampler sampler(0);
  SampleBatch batch;
  CHECK_THROWS_WITH(sampler.sample(empty, 4, batch), Catch::Contains("add steps before sampling"));
  CHECK_THROWS_WITH(ReplayStore(cartpole_obs(), cartpole_act(), 1), Catch::Contains("capacity"));
}

TEST_CASE("Store, writer and prioritized sampler states round-trip: both copies go on identically",
          "[replay][checkpoint]") {
  // Two stores fed by one VecEnv; the second is rebuilt from the first's saved state
  // halfway, through a ring that has wrapped and final observations in the pool.
  VecEnv venv("CartPole-v1", 3, 4, 1);
  ReplayStore a(venv.observation_space(), venv.action_space(), 50);
  VecWriter wa(a, 3);
  PrioritizedSampler pa(a, 0.6, 9);
  wa.reset(venv.reset());
  std::vector<int64_t> actions(3);
  Rng rng(2);
  SampleBatch batch_a, batch_b;
  auto step = [&](VecWriter& w) {
    for (auto& x : actions) x = static_cast<int64_t>(rng.below(2));
    w.add(venv.step(actions.data()), actions.data());
  };
  for (int t = 0; t < 40; ++t) {
    step(wa);
    pa.sample(4, 0.4, batch_a);
    std::vector<double> prio(batch_a.size, 0.5 + t);
    pa.update(batch_a.rows.data(), prio.data(), batch_a.size);
  }
  StateMap state;
  a.save_state(state, "store/");
  wa.save_state(state, "writer/");
  pa.save_state(state, "per/");
  ReplayStore b(venv.observation_space(), venv.action_space(), 50);
  VecWriter wb(b, 3);
  PrioritizedSampler pb(b, 0.6, 1234);
  b.load_state(state, "store/");
  wb.load_state(state, "writer/");
  pb.load_state(state, "per/");
  REQUIRE(b.size() == a.size());
  REQUIRE(b.closed() == a.closed());
  for (int t = 0; t < 30; ++t) {
    for (auto& x : actions) x = static_cast<int64_t>(rng.below(2));
    const Batch& out = venv.step(actions.data());
    wa.add(out, actions.data());
    wb.add(out, actions.data());
    pa.sample(8, 0.4, batch_a);
    pb.sample(8, 0.4, batch_b);
    REQUIRE(batch_a.rows == batch_b.rows);
    REQUIRE(batch_a.weights == batch_b.weights);
    REQUIRE(batch_a.next_obs == batch_b.next_obs);
  }
  test::require_same_steps(a, b);
  // A store of another size is refused with a message naming the cause.
  ReplayStore c(venv.observation_space(), venv.action_space(), 60);
  REQUIRE_THROWS_WITH(c.load_state(state, "store/"), Catch::Contains("recipe changed"));
}
