// Data sources a learner can be fed from: the online loop (VecEnv into the store), a
// store loaded from a dataset file, and a mix of two sources by ratio.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <set>

#include "agent_helpers.h"
#include "agents/data/minibatch_source.h"
#include "agents/data/online_source.h"
#include "replay/dataset.h"
#include "temp_path.h"

using namespace rlarena;
using agent_test::recipe_of;

namespace {

// One episode of `steps` steps where everything follows from the step t: obs [t],
// action t % 2, reward t (+ offset), next obs [t + 1], terminal at the end.
std::unique_ptr<ReplayStore> counting_store(int64_t steps, float offset = 0) {
  auto store = std::make_unique<ReplayStore>(Space::box(0.0, 1000.0, {1}), Space::discrete(2), steps + 1);
  const int64_t episode = 0;
  float obs = 0;
  int64_t row = store->open_rows(1, &obs, &episode);
  for (int64_t t = 0; t < steps; ++t) {
    const int64_t action = t % 2;
    const float next = static_cast<float>(t + 1);
    const bool last = t + 1 == steps;
    const int64_t next_row = last ? -1 : store->open_rows(1, &next, &episode);
    store->close_row(row, &action, static_cast<float>(t) + offset, last, false, next_row, last ? &next : nullptr);
    row = next_row;
  }
  return store;
}

}  // namespace

TEST_CASE("The online source stores every step of its envs and reports finished episodes", "[agents][data]") {
  const Recipe r = recipe_of("ppo", {{"num_envs", "3"}, {"seed", "7"}});
  OnlineSource source(r);
  source.open(1000);
  VecEnv twin("CartPole-v1", 3, 7);
  const Batch* expected = &twin.reset();
  Report report;
  int64_t finished = 0;
  for (int t = 0; t < 60; ++t) {
    const std::vector<int64_t> actions = {t % 2, (t / 3) % 2, 1};
    const Batch& got = source.step(actions.data(), report);
    expected = &twin.step(actions);
    for (int64_t e = 0; e < 3; ++e) finished += expected->done(e);
    REQUIRE(std::memcmp(got.obs, expected->obs, 3 * 4 * sizeof(float)) == 0);
  }
  CHECK(source.global_step() == 180);
  CHECK(static_cast<int64_t>(report.episode_returns.size()) == finished);
  CHECK(finished > 0);
  CHECK(source.store().closed() == 180);
}

TEST_CASE("A store read from a dataset file feeds minibatches of its transitions", "[agents][data]") {
  const std::string path = rlarena::test::temp_path("counting.hdf5");
  write_d4rl(*counting_store(50), path, {});
  Metadata metadata;
  const auto store = read_dataset(path, &metadata);
  std::remove(path.c_str());
  SamplerOptions uniform;
  uniform.seed = 3;
  StoreSampler sampler(*store, uniform);
  std::set<int> seen;
  for (int k = 0; k < 4; ++k) {
    const Minibatch m = sampler.sample(256, 0);
    REQUIRE(m.size() == 256);
    for (int64_t i = 0; i < m.size(); ++i) {
      const float t = m.obs[i][0].item<float>();
      seen.insert(static_cast<int>(t));
      REQUIRE(m.actions[i].item<int64_t>() == static_cast<int64_t>(t) % 2);
      REQUIRE(m.rewards[i].item<float>() == t);
      REQUIRE(m.next_obs[i][0].item<float>() == t + 1);
      REQUIRE(m.terminated[i].item<float>() == (t == 49 ? 1.f : 0.f));
    }
  }
  CHECK(seen.size() == 50);  // uniform over every stored step
}

TEST_CASE("A sampler with a row span draws only the rows of its span", "[agents][data]") {
  const auto store = counting_store(40);  // the row t holds the step t
  SamplerOptions front, back;
  front.seed = 4, back.seed = 5;
  front.rows = {10, 20}, back.rows = {30, -1};
  StoreSampler from_front(*store, front), from_back(*store, back, "back");
  std::set<int> seen_front, seen_back;
  for (int k = 0; k < 8; ++k) {
    const Minibatch a = from_front.sample(64, 0), b = from_back.sample(64, 0);
    for (int64_t i = 0; i < 64; ++i)
      seen_front.insert(static_cast<int>(a.obs[i][0].item<float>())),
          seen_back.insert(static_cast<int>(b.obs[i][0].item<float>()));
  }
  CHECK(seen_front == std::set<int>{10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
  CHECK(seen_back == std::set<int>{30, 31, 32, 33, 34, 35, 36, 37, 38, 39});
  SamplerOptions past;
  past.rows = {40, -1};
  StoreSampler empty(*store, past, "empty");
  CHECK_THROWS_WITH(empty.sample(4, 0), Catch::Contains("holds 40 rows; rows 40.. hold none"));
  SamplerOptions per = front;
  per.prioritized = true;
  CHECK_THROWS_WITH(StoreSampler(*store, per, "per"), Catch::Contains("no row span"));
}

TEST_CASE("A mixed source takes its share of each batch from the first source", "[agents][data]") {
  const auto real = counting_store(40), model = counting_store(40, 1000);
  SamplerOptions a, b;
  a.seed = 1, b.seed = 2;
  StoreSampler from_real(*real, a), from_model(*model, b, "model_sampler");
  MixedSource mix(from_real, from_model, 0.25);
  const Minibatch m = mix.sample(64, 0);
  REQUIRE(m.size() == 64);
  for (int64_t i = 0; i < 64; ++i) CHECK((m.rewards[i].item<float>() < 1000) == (i < 16));
  CHECK(m.next_obs.size(0) == 64);
  CHECK_THROWS_WITH(MixedSource(from_real, from_model, 1.5), Catch::Contains("[0, 1]"));
  // Prioritized sampling carries importance weights and takes new priorities.
  SamplerOptions per;
  per.prioritized = true;
  StoreSampler prioritized(*real, per, "per");
  const Minibatch p = prioritized.sample(8, 0.5);
  CHECK(p.weights.size(0) == 8);
  prioritized.update_priorities(torch::ones({8}));
  // Mixed with a uniform source, the uniform rows weigh 1.
  MixedSource half(prioritized, from_model, 0.5);
  const Minibatch w = half.sample(8, 0.5);
  REQUIRE(w.weights.defined());
  CHECK(w.weights.slice(0, 4).equal(torch::ones({4})));
  // Two samplers of one name would save over each other's state.
  StoreSampler same_name(*model, b);
  MixedSource clash(from_real, same_name, 0.5);
  Parts parts;
  CHECK_THROWS_WITH(clash.declare(parts), Catch::Contains("named 'sampler/rng'"));
  CHECK_THROWS_WITH(from_real.update_priorities(torch::ones({8})), Catch::Contains("uniform"));
}
