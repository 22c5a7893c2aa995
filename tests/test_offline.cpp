// Offline RL: normalized scores, the losses of IQL, TD3+BC and CQL on hand-computed
// numbers, dataset statistics, BC fitting a scripted policy, CQL keeping Q low on
// actions the data never took, and datasets that do not fit their env.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "agent_helpers.h"
#include "agents/algorithms.h"
#include "offline/bc.h"
#include "offline/cql.h"
#include "offline/dataset_stats.h"
#include "offline/discrete_cql.h"
#include "offline/iql.h"
#include "offline/scores.h"
#include "offline/td3_bc.h"
#include "offline/trainer.h"
#include "replay/d4rl.h"
#include "temp_path.h"

using namespace rlarena;
using agent_test::recipe_of;

namespace {
// The lowest and highest episode return in a store (the reward scale's denominator).
std::pair<double, double> episode_return_range(const ReplayStore& store) {
  double lo = 1e300, hi = -1e300;
  for (const auto& episode : store.episodes()) {
    double ret = 0;
    for (int64_t r : episode) ret += store.reward(r);
    lo = std::min(lo, ret), hi = std::max(hi, ret);
  }
  return {lo, hi};
}
}  // namespace

TEST_CASE("Normalized scores: D4RL's references, or the dataset's own", "[offline]") {
  const auto hopper = d4rl_refs("Hopper-v5");
  REQUIRE(hopper);
  CHECK(hopper->normalized(3234.3) == Approx(100));
  CHECK(hopper->normalized(-20.272305) == Approx(0).margin(1e-9));
  CHECK(hopper->normalized(1607.0) == Approx(100 * (1607.0 + 20.272305) / (3234.3 + 20.272305)));
  CHECK(d4rl_refs("HalfCheetah-v5")->max == 12135.0);
  CHECK(d4rl_refs("Walker2d-v4")->min == Approx(1.629008));
  CHECK(d4rl_refs("Ant-v5")->min == -325.6);
  CHECK_FALSE(d4rl_refs("CartPole-v1"));
  // A dataset's metadata wins over the built-in references.
  const auto own = score_refs({{"ref_min_score", "10"}, {"ref_max_score", "510"}}, "Hopper-v5");
  REQUIRE(own);
  CHECK(own->normalized(260) == Approx(50));
  CHECK_FALSE(score_refs({{"ref_min_score", "1"}}, "CartPole-v1"));
}

TEST_CASE("IQL's expectile loss and advantage weights on hand-computed numbers", "[offline][iql]") {
  // diff = target - V: a positive one weighs tau, a negative one 1 - tau.
  const torch::Tensor diff = torch::tensor({1.0f, -2.0f, 0.5f});
  CHECK(expectile_loss(diff, 0.7).item<double>() == Approx((0.7 * 1 + 0.3 * 4 + 0.7 * 0.25) / 3));
  CHECK(expectile_loss(diff, 0.5).item<double>() == Approx(0.5 * (1 + 4 + 0.25) / 3));
  const torch::Tensor w = advantage_weights(torch::tensor({-1.0f, 0.0f, 1.0f, 2.0f}), 3.0);
  CHECK(w[0].item<double>() == Approx(std::exp(-3.0)));
  CHECK(w[1].item<double>() == Approx(1.0));
  CHECK(w[2].item<double>() == Approx(std::exp(3.0)));
  CHECK(w[3].item<double>() == Approx(100.0));  // exp(6) = 403, clipped at 100
}

TEST_CASE("TD3+BC's actor loss and its state normalization", "[offline][td3_bc]") {
  // lambda = 2.5 / mean|q| = 2.5 / 2; loss = -lambda * mean(q) + mean((pi - a)^2).
  const torch::Tensor q1 = torch::tensor({{1.0f}, {-3.0f}});
  const torch::Tensor pi = torch::tensor({{0.5f}, {0.0f}}), a = torch::tensor({{0.0f}, {1.0f}});
  CHECK(td3_bc_actor_loss(q1, pi, a, 2.5).item<double>() == Approx(-1.25 * -1.0 + (0.25 + 1.0) / 2));
  // The dataset's mean and std (+ 1e-3), over the stored observations.
  const auto store = read_d4rl(agent_test::pendulum_dataset());
  DatasetStats stats(3);
  stats.fit(*store, true, false);
  double sum = 0, sq = 0;
  for (int64_t r = 0; r < store->size(); ++r) {
    const float x = reinterpret_cast<const float*>(store->obs(r))[2];
    sum += x, sq += static_cast<double>(x) * x;
  }
  const double n = static_cast<double>(store->size()), mean = sum / n;
  CHECK(stats.mean[2].item<double>() == Approx(mean).epsilon(1e-5));
  CHECK(stats.std[2].item<double>() == Approx(std::sqrt(sq / n - mean * mean) + 1e-3).epsilon(1e-5));
  const torch::Tensor normalized = stats.normalize(torch::tensor({{0.0f, 0.0f, static_cast<float>(mean)}}));
  CHECK(normalized[0][2].item<double>() == Approx(0).margin(1e-5));
  // IQL's reward scale: 1000 / (max - min episode return).
  DatasetStats rewards(3);
  rewards.fit(*store, false, true);
  const auto [lo, hi] = episode_return_range(*store);
  CHECK(rewards.reward_scale.item<double>() == Approx(1000.0 / (hi - lo)).epsilon(1e-5));
}

TEST_CASE("Discrete CQL's gap: logsumexp over actions minus the data action's value", "[offline][cql]") {
  const torch::Tensor q = torch::tensor({{0.0f, std::log(3.0f)}, {1.0f, 1.0f}});
  const torch::Tensor a = torch::tensor({int64_t{1}, int64_t{0}});
  CHECK(discrete_cql_gap(q, a).item<double>() == Approx(((std::log(4.0) - std::log(3.0)) + std::log(2.0)) / 2));
}

TEST_CASE("CQL's gap is the logsumexp of the sampled values minus the data's", "[offline][cql]") {
  // One critic, one state, sampled values {0, log 3} (logsumexp = log 4), data value 1.
  const torch::Tensor sampled = torch::tensor({0.0f, std::log(3.0f)}).view({1, 1, 2});
  const torch::Tensor data = torch::tensor({1.0f}).view({1, 1});
  CHECK(cql_gap(sampled, data, 1.0).item<double>() == Approx(std::log(4.0) - 1.0));
  // Temperature 2: 2 * logsumexp(q / 2).
  CHECK(cql_gap(sampled, data, 2.0).item<double>() == Approx(2 * std::log(1 + std::sqrt(3.0)) - 1.0));
  // The batched pass: M uniform, M current and M next actions per state.
  const Recipe r = recipe_of("cql", {{"env", "Pendulum-v1"}, {"hidden", "16,16"}, {"cql_n_actions", "5"}});
  CqlLearner cql(r, Space::box(-1, 1, {3}), Space::box(-2, 2, {1}));
  CHECK(cql.sampled_q(torch::zeros({7, 3}), torch::zeros({7, 3})).sizes() == std::vector<int64_t>{2, 7, 15});
}

namespace {
// The first critic's mean Q(s, a) over states `obs` for one action value.
double mean_q(EnsembleMLP& critic, const torch::Tensor& obs, float action) {
  torch::NoGradGuard no_grad;
  const torch::Tensor a = torch::full({obs.size(0), 1}, action);
  return critic->forward(torch::cat({obs, a}, -1))[0].mean().item<double>();
}
}  // namespace

TEST_CASE("CQL keeps Q low on actions the data never took", "[offline][cql][long]") {
  // A dataset whose actions all lie in [-0.5, 0.5]; the critics are asked about 2.0.
  const std::string path = rlarena::test::temp_path("narrow.hdf5");
  {
    VecEnv venv("Pendulum-v1", 2, 3, 1, 0, {{"max_episode_steps", "50"}});
    ReplayStore store(venv.observation_space(), venv.action_space(), 1004);
    VecWriter writer(store, 2);
    writer.reset(venv.reset());
    Rng rng(2);
    std::vector<float> actions(2);
    for (int t = 0; t < 500; ++t) {
      for (auto& a : actions) a = static_cast<float>(rng.uniform() - 0.5);
      writer.add(venv.step(actions), actions.data());
    }
    write_d4rl(store, path, {{"env_id", "Pendulum-v1"}});
  }
  const auto gap_after = [&](const std::string& cql_alpha) {
    const Recipe r = recipe_of("cql", {{"env", "Pendulum-v1"}, {"dataset", path}, {"hidden", "32,32"},
                                       {"batch_size", "64"}, {"total_steps", "1000"}, {"log_every", "1000"},
                                       {"q_lr", "0.001"},
                                       {"cql_alpha", cql_alpha}, {"normalize_states", "false"}});
    auto trainer = find_algorithm("cql").make_trainer(r, {});
    std::atomic<bool> stop{false};
    trainer->iterate(stop);
    auto& learner = dynamic_cast<CqlLearner&>(trainer->learner());
    const auto store = read_d4rl(path);
    const torch::Tensor obs = torch::from_blob(const_cast<uint8_t*>(store->obs(0)), {200, 3}, torch::kFloat32).clone();
    struct Access : CqlLearner {
      static EnsembleMLP& critic(CqlLearner& l) { return static_cast<Access&>(l).critic_; }
    };
    EnsembleMLP& critic = Access::critic(learner);
    return mean_q(critic, obs, 0.0f) - mean_q(critic, obs, 2.0f);
  };
  const double with_penalty = gap_after("10"), without = gap_after("0");
  INFO("Q(s, 0) - Q(s, 2): CQL " << with_penalty << ", no penalty " << without);
  CHECK(with_penalty > 0);
  CHECK(with_penalty > without + 1.0);
  std::remove(path.c_str());
}

TEST_CASE("CQL scales rewards by 1000 / (max - min episode return) when normalize_reward is on", "[offline][cql]") {
  const auto store = read_d4rl(agent_test::pendulum_dataset());
  const auto [lo, hi] = episode_return_range(*store);
  for (const bool on : {true, false}) {
    const Recipe r = recipe_of("cql", {{"env", "Pendulum-v1"}, {"dataset", agent_test::pendulum_dataset()},
                                       {"hidden", "32,32"}, {"normalize_reward", on ? "true" : "false"}});
    auto trainer = find_algorithm("cql").make_trainer(r, {});
    const auto& learner = dynamic_cast<CqlLearner&>(trainer->learner());
    CHECK(learner.stats().reward_scale.item<double>() == Approx(on ? 1000.0 / (hi - lo) : 1.0).epsilon(1e-5));
  }
}

TEST_CASE("BC reproduces a scripted policy from its data", "[offline][bc]") {
  // The data: Pendulum with a = clip(-2 theta_dot_scaled..) -- a fixed linear feedback policy.
  const std::string path = rlarena::test::temp_path("scripted.hdf5");
  const auto scripted = [](const float* obs) { return std::clamp(-1.5f * obs[2] - 2.0f * obs[1], -2.0f, 2.0f); };
  {
    VecEnv venv("Pendulum-v1", 4, 8, 1, 0, {{"max_episode_steps", "100"}});
    ReplayStore store(venv.observation_space(), venv.action_space(), 4008);
    VecWriter writer(store, 4);
    const Batch* batch = &venv.reset();
    writer.reset(*batch);
    std::vector<float> actions(4);
    for (int t = 0; t < 1000; ++t) {
      for (int i = 0; i < 4; ++i) actions[i] = scripted(batch->obs_row<float>(i));
      batch = &venv.step(actions);
      writer.add(*batch, actions.data());
    }
    write_d4rl(store, path, {{"env_id", "Pendulum-v1"}});
  }
  const Recipe r = recipe_of("bc", {{"env", "Pendulum-v1"}, {"dataset", path}, {"hidden", "64,64"},
                                    {"total_steps", "1500"}, {"log_every", "1500"}, {"learning_rate", "0.003"}});
  auto trainer = find_algorithm("bc").make_trainer(r, {});
  std::atomic<bool> stop{false};
  const Report report = trainer->iterate(stop);
  CHECK(report.losses[0] == 1500);  // the gradient_step column
  // On fresh states, the cloned actions are within a few hundredths of the script's.
  Rng rng(99);
  double err = 0;
  const int n = 200;
  for (int k = 0; k < n; ++k) {
    const float th = static_cast<float>(6.28 * rng.uniform() - 3.14), dot = static_cast<float>(8 * rng.uniform() - 4);
    const float obs[3] = {std::cos(th), std::sin(th), dot};
    float action = 0;
    trainer->learner().act(torch::from_blob(const_cast<float*>(obs), {1, 3}, torch::kFloat32), Acting::Deterministic,
                           &action);
    err += std::abs(action - scripted(obs));
  }
  INFO("mean |a_bc - a_script| " << err / n);
  CHECK(err / n < 0.15);
  std::remove(path.c_str());
}

TEST_CASE("A dataset that does not fit its env names both shapes", "[offline]") {
  const Recipe r = recipe_of("td3_bc", {{"env", "Hopper-v5"}, {"dataset", agent_test::pendulum_dataset()}});
  CHECK_THROWS_WITH(find_algorithm("td3_bc").make_trainer(r, {}),
                    Catch::Contains("has observations (3,) float32 and actions (1,) float32, but Hopper-v5 has "
                                    "observations (11,) float32 and actions (3,) float32"));
  const Recipe none = recipe_of("iql", {{"env", "Pendulum-v1"}});
  CHECK_THROWS_WITH(find_algorithm("iql").make_trainer(none, {}), Catch::Contains("needs a dataset"));
  const Recipe missing = recipe_of("bc", {{"env", "Pendulum-v1"}, {"dataset", "nowhere/nothing-v0"}});
  CHECK_THROWS_WITH(find_algorithm("bc").make_trainer(missing, {}), Catch::Contains("Minari root"));
  const Recipe discrete = recipe_of("td3_bc", {{"env", "CartPole-v1"}, {"dataset", agent_test::pendulum_dataset()}});
  CHECK_THROWS_WITH(find_algorithm("td3_bc").make_trainer(discrete, {}), Catch::Contains("CartPole-v1"));
}

TEST_CASE("Offline-to-online goes on in the envs, adding to the dataset's store", "[offline]") {
  const Recipe r = recipe_of("iql", {{"env", "Pendulum-v1"}, {"dataset", agent_test::pendulum_dataset()},
                                     {"kwarg", "max_episode_steps=50"}, {"hidden", "32,32"}, {"batch_size", "32"},
                                     {"total_steps", "100"}, {"online_steps", "120"}, {"log_every", "100"}});
  auto trainer = find_algorithm("iql").make_trainer(r, {});
  const int64_t dataset_steps = trainer->store().closed();
  CHECK(dataset_steps == 2000);
  CHECK(trainer->total_steps() == 220);
  std::atomic<bool> stop{false};
  const Report offline_part = trainer->iterate(stop);
  CHECK(offline_part.global_step == 100);
  CHECK(offline_part.losses[1] == 0);  // phase 0
  CHECK(offline_part.episode_returns.empty());
  std::vector<int64_t> ends;
  Report last;
  while (trainer->global_step() < trainer->total_steps()) {
    last = trainer->iterate(stop);
    CHECK(last.losses[1] == 1);  // phase 1
    ends.insert(ends.end(), last.episode_ends.begin(), last.episode_ends.end());
  }
  // 120 env steps of 50-step episodes: two ended, at steps 150 and 200 of the run.
  CHECK(ends == std::vector<int64_t>{150, 200});
  CHECK(trainer->store().closed() == dataset_steps + 120);
}

TEST_CASE("IQL's deterministic actor explores online with expl_noise, clipped at noise_clip", "[offline][iql]") {
  // The online action minus the evaluated one, on 2000 states, in Pendulum's half-range (2).
  const auto deviations = [](const std::string& expl_noise, const std::string& noise_clip) {
    const Recipe r = recipe_of("iql", {{"env", "Pendulum-v1"}, {"dataset", agent_test::pendulum_dataset()},
                                       {"hidden", "16,16"}, {"iql_deterministic", "true"},
                                       {"expl_noise", expl_noise}, {"noise_clip", noise_clip}});
    auto trainer = find_algorithm("iql").make_trainer(r, {});
    const torch::Tensor obs = torch::rand({2000, 3}) * 2 - 1;
    std::vector<float> mean(2000), online(2000);
    trainer->learner().act(obs, Acting::Deterministic, mean.data());
    trainer->learner().act(obs, Acting::Stochastic, online.data());
    std::vector<double> d(2000);
    for (size_t i = 0; i < d.size(); ++i) d[i] = (online[i] - mean[i]) / 2.0;
    return d;
  };
  const auto spread = [](const std::vector<double>& d) {
    double sq = 0, most = 0;
    for (double x : d) sq += x * x, most = std::max(most, std::abs(x));
    return std::make_pair(std::sqrt(sq / d.size()), most);
  };
  // CORL's std 0.03 (the default) and a wider 0.1, both well inside the 0.5 clip.
  CHECK(spread(deviations("0.03", "0.5")).first == Approx(0.03).epsilon(0.1));
  CHECK(spread(deviations("0.1", "0.5")).first == Approx(0.1).epsilon(0.1));
  // Noise of std 1 clipped at 0.05: no deviation beyond the clip, most of them at it.
  const std::vector<double> clipped = deviations("1", "0.05");
  CHECK(spread(clipped).second <= 0.05 + 1e-6);
  CHECK(std::count_if(clipped.begin(), clipped.end(), [](double x) { return std::abs(x) > 0.0499; }) > 1800);
  CHECK(spread(deviations("0", "0.5")).second == 0);
  const Recipe bad = recipe_of("iql", {{"env", "Pendulum-v1"}, {"dataset", agent_test::pendulum_dataset()},
                                       {"expl_noise", "-0.1"}});
  CHECK_THROWS_WITH(find_algorithm("iql").make_trainer(bad, {}), Catch::Contains("expl_noise"));
}

TEST_CASE("An online phase leaves the offline phase as a plain offline run has it", "[offline]") {
  // The same 100 offline gradient steps with and without 120 online steps to follow: the
  // envs' first observations must not enter the store (and shift the draws) before they step.
  // IQL's actor schedule spans the offline phase alone, as CORL's. With a mixing ratio the
  // offline phase draws the dataset's rows alone, as the whole store.
  std::vector<std::vector<double>> losses;
  for (const auto& [online_steps, mixing_ratio] :
       std::vector<std::pair<std::string, std::string>>{{"0", ""}, {"120", ""}, {"120", "0.5"}}) {
    const Recipe r = recipe_of("iql", {{"env", "Pendulum-v1"}, {"dataset", agent_test::pendulum_dataset()},
                                       {"hidden", "16,16"}, {"batch_size", "16"}, {"total_steps", "100"},
                                       {"online_steps", online_steps}, {"log_every", "100"},
                                       {"mixing_ratio", mixing_ratio}});
    auto trainer = find_algorithm("iql").make_trainer(r, {});
    std::atomic<bool> stop{false};
    Report report = trainer->iterate(stop);
    REQUIRE(report.global_step == 100);
    losses.push_back(report.losses);
  }
  REQUIRE(losses[0].size() > 3);
  CHECK(losses[0] == losses[1]);
  CHECK(losses[0] == losses[2]);
}

namespace {
// Acts with 0 and counts, per batch, the rows whose action is exactly 0: the online
// steps it took (the dataset's uniform random actions are never exactly 0).
class ZeroActionCounter final : public Learner {
 public:
  ZeroActionCounter(const Space& obs, const Space& act) : Learner(obs, act) {}
  std::vector<std::string> loss_names() const override { return {"online_rows"}; }
  Losses update(const Minibatch& batch) override { return {(batch.actions == 0).sum().item<double>()}; }
  void declare(Parts&) override {}
  void act(const torch::Tensor& obs, Acting, void* actions) override {
    std::memset(actions, 0, obs.size(0) * act_space_.byte_size());
  }
};
}  // namespace

TEST_CASE("A mixing ratio takes its share of each online batch from the dataset, the rest from the online steps",
          "[offline]") {
  const LearnerFactory counter = [](const Recipe&, const Space& obs, const Space& act) -> std::unique_ptr<Learner> {
    return std::make_unique<ZeroActionCounter>(obs, act);
  };
  // Mean online rows per batch of 16: 100 offline gradient steps, then 20 and 100 online ones.
  const auto online_rows = [&](const std::string& mixing_ratio) {
    const Recipe r = recipe_of("iql", {{"env", "Pendulum-v1"}, {"dataset", agent_test::pendulum_dataset()},
                                       {"batch_size", "16"}, {"total_steps", "100"}, {"online_steps", "120"},
                                       {"log_every", "120"}, {"mixing_ratio", mixing_ratio}});
    OfflineTrainer trainer(r, counter);
    std::atomic<bool> stop{false};
    std::vector<double> means;
    while (trainer.global_step() < trainer.total_steps()) means.push_back(trainer.iterate(stop).losses.at(2));
    return means;
  };
  CHECK(online_rows("0.25") == std::vector<double>{0, 12, 12});  // 4 of 16 rows from the dataset
  CHECK(online_rows("1") == std::vector<double>{0, 0, 0});
  CHECK(online_rows("0") == std::vector<double>{0, 16, 16});
  // Uniform over the store: the 2000 dataset steps outweigh the 120 online ones.
  const std::vector<double> uniform = online_rows("");
  REQUIRE(uniform.size() == 3);
  CHECK(uniform[0] == 0);
  CHECK(uniform[2] > 0);
  CHECK(uniform[2] < 1);
  const Recipe bad = recipe_of("iql", {{"env", "Pendulum-v1"}, {"dataset", agent_test::pendulum_dataset()},
                                       {"online_steps", "10"}, {"mixing_ratio", "1.5"}});
  CHECK_THROWS_WITH(OfflineTrainer(bad, counter), Catch::Contains("mixing_ratio"));
}

namespace {
// IQL's mean actor step size over each metrics row (100 updates) of a run of 100 offline
// gradient steps and online_steps online ones.
std::vector<double> iql_actor_lr_rows(const std::string& horizon, const std::string& online_steps,
                                      const std::string& online_lr = "") {
  const Recipe r = recipe_of("iql", {{"env", "Pendulum-v1"}, {"dataset", agent_test::pendulum_dataset()},
                                     {"hidden", "16,16"}, {"batch_size", "16"}, {"total_steps", "100"},
                                     {"online_steps", online_steps}, {"log_every", "100"}, {"actor_lr_horizon", horizon},
                                     {"actor_lr_online", online_lr}});
  auto trainer = find_algorithm("iql").make_trainer(r, {});
  const auto names = trainer->loss_names();
  const size_t column = std::find(names.begin(), names.end(), "actor_lr") - names.begin();
  REQUIRE(column < names.size());
  std::atomic<bool> stop{false};
  std::vector<double> rows;
  while (trainer->global_step() < trainer->total_steps()) rows.push_back(trainer->iterate(stop).losses.at(column));
  return rows;
}

// The mean of torch's CosineAnnealingLR (3e-4, T_max) over steps [from, from + 100).
double mean_cosine_lr(double t_max, int from) {
  double mean = 0;
  for (int k = from; k < from + 100; ++k) mean += 0.5 * 3e-4 * (1 + std::cos(M_PI * k / t_max)) / 100;
  return mean;
}
}  // namespace

TEST_CASE("IQL's actor step size follows a cosine over the offline phase or actor_lr_horizon, and rises again online "
          "unless actor_lr_online holds it",
          "[offline][iql]") {
  // Over the run's 100 steps: half way down on average; over 400 steps: barely begun.
  const std::vector<double> run = iql_actor_lr_rows("0", "0"), horizon = iql_actor_lr_rows("400", "0");
  REQUIRE(run.size() == 1);
  REQUIRE(horizon.size() == 1);
  CHECK(run[0] == Approx(mean_cosine_lr(100, 0)).epsilon(1e-4));
  CHECK(horizon[0] == Approx(mean_cosine_lr(400, 0)).epsilon(1e-4));
  // CORL's fine-tuning: T_max is the offline phase, and the same scheduler goes on online,
  // so the step size is 0 at the switch and climbs back (steps 100..199 of the cosine).
  const std::vector<double> online = iql_actor_lr_rows("0", "100");
  REQUIRE(online.size() == 2);
  CHECK(online[0] == Approx(mean_cosine_lr(100, 0)).epsilon(1e-4));
  CHECK(online[1] == Approx(mean_cosine_lr(100, 100)).epsilon(1e-4));
  // actor_lr_online: the online phase at a constant step size, the offline phase as before.
  const std::vector<double> constant = iql_actor_lr_rows("0", "100", "0.00002");
  REQUIRE(constant.size() == 2);
  CHECK(constant[0] == online[0]);
  CHECK(constant[1] == Approx(2e-5).epsilon(1e-9));
}
