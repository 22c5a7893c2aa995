// The trainers: PPO learns CartPole in a short budget; every algorithm resumes
// exactly from a checkpoint and gives the same run at 1 and 2 env threads.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numeric>
#include <set>

#include "agent_helpers.h"
#include "agents/algorithms.h"
#include "agents/dqn/dqn.h"
#include "agents/onpolicy/learner.h"
#include "agents/onpolicy/trainer.h"
#include "agents/ppo/ppo.h"
#include "agents/selfplay/self_play_batch.h"
#include "common/state_file.h"
#include "temp_path.h"

using namespace rlarena;
using agent_test::recipe_of;

namespace {

std::unique_ptr<Trainer> make(const Recipe& r) { return find_algorithm(r.text("algo")).make_trainer(r, {}); }

// Every number a report holds, NaN written as a marker so runs compare with ==.
void append(const Report& r, std::vector<double>& out) {
  out.push_back(static_cast<double>(r.global_step));
  out.insert(out.end(), r.episode_returns.begin(), r.episode_returns.end());
  for (auto l : r.episode_lengths) out.push_back(static_cast<double>(l));
  for (auto e : r.episode_ends) out.push_back(static_cast<double>(e));
  for (double l : r.losses) out.push_back(std::isnan(l) ? -12345.0 : l);
}

std::vector<double> run_until(Trainer& t, int64_t step) {
  std::atomic<bool> stop{false};
  std::vector<double> out;
  while (t.global_step() < step) append(t.iterate(stop), out);
  return out;
}

struct Case {
  std::string name, algo;
  std::map<std::string, std::string> values;
  int64_t half;
};

// An offline recipe of `algo` on the test dataset, small enough to run in a moment.
std::map<std::string, std::string> offline(std::map<std::string, std::string> values) {
  values.insert({{"env", "Pendulum-v1"},
                 {"dataset", agent_test::pendulum_dataset()},
                 {"total_steps", "300"},
                 {"batch_size", "32"},
                 {"hidden", "32,32"},
                 {"log_every", "50"}});
  return values;
}

std::vector<Case> resume_cases() {
  const std::map<std::string, std::string> small_offpolicy = {
      {"env", "Pendulum-v1"}, {"kwarg", "max_episode_steps=50"}, {"total_steps", "600"}, {"learning_starts", "200"},
      {"buffer_size", "1000"}, {"batch_size", "32"}, {"hidden", "32,32"}, {"log_every", "100"}};
  std::map<std::string, std::string> sac = small_offpolicy, td3 = small_offpolicy;
  return {
      {"ppo discrete", "ppo", {{"num_envs", "4"}, {"num_steps", "32"}, {"total_steps", "1024"}}, 512},
      {"ppo continuous, normalized", "ppo",
       {{"env", "Pendulum-v1"}, {"kwarg", "max_episode_steps=50"}, {"num_envs", "2"}, {"num_steps", "64"},
        {"total_steps", "1024"}, {"norm_obs", "true"}, {"norm_reward", "true"}}, 512},
      {"a2c", "a2c", {{"total_steps", "800"}}, 400},
      {"ppo from pixels (CarRacing frames shrunk to 36x36)", "ppo",
       {{"env", "CarRacing-v3"}, {"kwarg", "resize=36,36"}, {"num_envs", "2"}, {"num_steps", "16"},
        {"total_steps", "96"}, {"minibatches", "2"}, {"epochs", "2"}, {"hidden", "16"}, {"norm_reward", "true"}}, 64},
      {"dqn double dueling prioritized", "dqn",
       {{"total_steps", "1200"}, {"learning_starts", "300"}, {"buffer_size", "500"}, {"train_frequency", "2"},
        {"target_network_frequency", "50"}, {"log_every", "100"}, {"batch_size", "32"}, {"double_dqn", "true"},
        {"dueling", "true"}, {"prioritized", "true"}, {"gradient_steps", "2"}, {"td_loss", "huber"},
        {"max_grad_norm", "10"}}, 600},
      {"sac", "sac", sac, 300},
      {"td3", "td3", td3, 300},
      // Offline: total_steps counts gradient steps on a dataset.
      {"bc gaussian", "bc", offline({{"bc_policy", "gaussian"}}), 150},
      {"td3_bc", "td3_bc", offline({}), 150},
      {"iql", "iql", offline({}), 150},
      {"cql lagrange", "cql", offline({{"cql_lagrange", "true"}, {"cql_n_actions", "4"}}), 150},
      // Offline-to-online: resumed before and after the switch to the envs (at 300).
      // (CQL with a mixing ratio: resumed after both its samplers have drawn.)
      {"iql to online, resumed offline", "iql", offline({{"online_steps", "200"}, {"kwarg", "max_episode_steps=50"}}),
       250},
      {"cql to online with a mixing ratio, resumed online", "cql",
       offline({{"online_steps", "200"}, {"kwarg", "max_episode_steps=50"}, {"cql_n_actions", "4"},
                {"mixing_ratio", "0.5"}}), 400},
      // Multi-agent: rows of every (env, agent), autoresets at max_cycles inside the halves.
      {"mappo", "mappo", {{"num_envs", "4"}, {"num_steps", "20"}, {"total_steps", "400"}}, 200},
      {"ippo on simple_tag, continuous", "ippo",
       {{"env", "simple_tag_v3"}, {"kwarg", "continuous_actions=true"}, {"num_envs", "2"}, {"num_steps", "30"},
        {"total_steps", "300"}, {"norm_obs", "true"}}, 150},
      // Self-play: snapshots join the pool inside both halves; ConnectFour's forfeits and replies.
      {"selfplay sumo", "selfplay",
       {{"env", "Sumo-v0"}, {"num_envs", "4"}, {"num_steps", "32"}, {"total_steps", "512"}, {"snapshot_every", "100"},
        {"opponent_sampling", "hard"}}, 256},
      {"selfplay connectfour", "selfplay",
       {{"env", "ConnectFour-v0"}, {"num_envs", "4"}, {"num_steps", "16"}, {"total_steps", "256"},
        {"snapshot_every", "40"}}, 128},
      {"independent ppo (a learner per agent)", "ippo",
       {{"env", "simple_push_v3"}, {"shared_policy", "false"}, {"num_envs", "3"}, {"num_steps", "20"},
        {"total_steps", "240"}, {"norm_obs", "true"}}, 120},
      // PETS: model trainings and planned steps in both halves (warm starts, elites, generators).
      {"pets", "pets",
       {{"env", "InvertedPendulum-v5"}, {"total_steps", "160"}, {"learning_starts", "40"}, {"model_train_every", "50"},
        {"log_every", "20"}, {"ensemble_size", "3"}, {"ensemble_elites", "2"}, {"model_hidden", "16,16"},
        {"model_max_epochs", "3"}, {"planning_horizon", "4"}, {"particles", "2"}, {"cem_population", "12"},
        {"cem_elites", "3"}, {"cem_iterations", "2"}, {"model_reward", "env"}}, 100},
      // MBPO: model trainings, rollouts into the model store and mixed minibatches in both halves.
      {"mbpo", "mbpo",
       {{"env", "Pendulum-v1"}, {"kwarg", "max_episode_steps=50"}, {"total_steps", "300"}, {"learning_starts", "100"},
        {"model_train_every", "50"}, {"model_rollouts", "4"}, {"updates_per_step", "2"}, {"rollout_schedule", "0,1,1,3"},
        {"epoch_length", "100"}, {"hidden", "16,16"}, {"model_hidden", "16,16"}, {"ensemble_size", "3"},
        {"ensemble_elites", "2"}, {"model_max_epochs", "3"}, {"batch_size", "16"}, {"log_every", "50"}}, 150},
      {"discrete cql", "discrete_cql",
       offline({{"env", "CartPole-v1"}, {"dataset", agent_test::random_dataset("CartPole-v1", 1000)},
                {"target_network_frequency", "40"}}), 150},
  };
}

}  // namespace

TEST_CASE("PPO solves CartPole-v1 within 200k steps", "[agents][ppo][learn][long]") {
  auto t = make(recipe_of("ppo", {{"total_steps", "200000"}, {"learning_rate", "0.001"}}));
  std::atomic<bool> stop{false};
  std::deque<double> recent;
  double mean = 0;
  while (t->global_step() < t->total_steps()) {
    for (double r : t->iterate(stop).episode_returns) {
      recent.push_back(r);
      if (recent.size() > 20) recent.pop_front();
    }
    mean = std::accumulate(recent.begin(), recent.end(), 0.0) / std::max<size_t>(recent.size(), 1);
    if (recent.size() == 20 && mean >= 475) break;
  }
  INFO("steps " << t->global_step() << ", mean of the last 20 returns " << mean);
  CHECK(mean >= 475);
}

namespace {

// Each case: N steps straight against N/2, a checkpoint file and N/2 more.
void check_resumes(const std::set<std::string>& algos) {
  for (const Case& c : resume_cases()) {
    if (!algos.count(c.algo)) continue;
    INFO(c.name);
    const Recipe r = recipe_of(c.algo, c.values);
    auto straight = make(r);
    const std::vector<double> all = run_until(*straight, straight->total_steps());

    auto first = make(r);
    std::vector<double> resumed = run_until(*first, c.half);
    const std::string path = rlarena::test::temp_path("ckpt.h5");
    {
      StateMap saved;
      first->save(saved);
      save_state_file(path, saved);
    }
    first.reset();
    auto second = make(r);
    second->load(load_state_file(path));
    std::remove(path.c_str());
    REQUIRE(second->global_step() >= c.half);
    const std::vector<double> rest = run_until(*second, second->total_steps());
    resumed.insert(resumed.end(), rest.begin(), rest.end());
    REQUIRE(resumed.size() == all.size());
    CHECK(resumed == all);

    // Networks, store, envs and generators end the same, byte for byte. (Torch's
    // optimizer archives key their state by tensor address, so their bytes differ
    // between instances; the identical losses after the resume show their state.)
    StateMap a, b;
    straight->save(a);
    second->save(b);
    REQUIRE(a.size() == b.size());
    for (const auto& [key, bytes] : a) {
      const bool optimizer = key.find("opt") != std::string::npos;
      INFO("state " << key);
      CHECK((b.count(key) && (optimizer || b.at(key) == bytes)));
    }
  }
}

// The resume cases in groups, one test each, so that ctest's parallel lanes share them.
const std::vector<std::set<std::string>> kResumeGroups = {
    {"ppo", "a2c"}, {"dqn", "sac", "td3"}, {"bc", "td3_bc", "iql", "cql", "discrete_cql"},
    {"mappo", "ippo", "selfplay"}, {"pets", "mbpo"}};

}  // namespace

TEST_CASE("Every resume case is in one group", "[agents][checkpoint]") {
  for (const Case& c : resume_cases()) {
    INFO(c.name);
    CHECK(std::count_if(kResumeGroups.begin(), kResumeGroups.end(), [&](const auto& g) { return g.count(c.algo); }) == 1);
  }
}

TEST_CASE("Training N steps equals N/2, a checkpoint file, and N/2 more: on-policy", "[agents][checkpoint]") {
  check_resumes(kResumeGroups[0]);
}

TEST_CASE("Training N steps equals N/2, a checkpoint file, and N/2 more: off-policy", "[agents][checkpoint]") {
  check_resumes(kResumeGroups[1]);
}

TEST_CASE("Training N steps equals N/2, a checkpoint file, and N/2 more: offline and offline-to-online",
          "[agents][checkpoint]") {
  check_resumes(kResumeGroups[2]);
}

TEST_CASE("Training N steps equals N/2, a checkpoint file, and N/2 more: multi-agent and self-play",
          "[agents][checkpoint]") {
  check_resumes(kResumeGroups[3]);
}

TEST_CASE("Training N steps equals N/2, a checkpoint file, and N/2 more: model-based", "[agents][checkpoint]") {
  check_resumes(kResumeGroups[4]);
}

TEST_CASE("A run is the same at 1 and 2 env threads", "[agents][threads]") {
  for (const auto& [algo, values] : std::vector<std::pair<std::string, std::map<std::string, std::string>>>{
           {"ppo", {{"num_envs", "8"}, {"num_steps", "32"}, {"total_steps", "1024"}}},
           {"mappo", {{"num_envs", "8"}, {"num_steps", "25"}, {"total_steps", "600"}}},
           {"sac", {{"env", "Pendulum-v1"}, {"num_envs", "2"}, {"total_steps", "400"}, {"learning_starts", "200"},
                    {"buffer_size", "1000"}, {"batch_size", "32"}, {"hidden", "32,32"}, {"log_every", "100"}}}}) {
    INFO(algo);
    auto v1 = values, v2 = values;
    v1["env_threads"] = "1", v2["env_threads"] = "2";
    auto t1 = make(recipe_of(algo, v1));
    auto t2 = make(recipe_of(algo, v2));
    CHECK(run_until(*t1, t1->total_steps()) == run_until(*t2, t2->total_steps()));
  }
}

TEST_CASE("Recipe values are checked with messages that name the key", "[agents][recipe]") {
  CHECK_THROWS_WITH(recipe_of("ppo", {{"learning_rat", "0.1"}}), Catch::Contains("unknown recipe key 'learning_rat'") &&
                                                                      Catch::Contains("learning_rate"));
  CHECK_THROWS_WITH(make(recipe_of("ppo", {{"learning_rate", "fast"}})),
                    Catch::Contains("learning_rate = fast is not a number"));
  CHECK_THROWS_WITH(make(recipe_of("ppo", {{"gamma", "1.5"}})), Catch::Contains("gamma = 1.5 is out of range"));
  CHECK_THROWS_WITH(make(recipe_of("ppo", {{"num_envs", "0"}})), Catch::Contains("num_envs = 0 is too small"));
  CHECK_THROWS_WITH(make(recipe_of("ppo", {{"hidden", "64,x"}})), Catch::Contains("hidden = 64,x"));
  CHECK_THROWS_WITH(make(recipe_of("ppo", {{"norm_obs", "maybe"}})),
                    Catch::Contains("norm_obs = maybe is not true or false"));
  CHECK_THROWS_WITH(make(recipe_of("dqn", {{"env", "Pendulum-v1"}})), Catch::Contains("DQN needs Discrete"));
  CHECK_THROWS_WITH(make(recipe_of("sac", {{"env", "CartPole-v1"}})), Catch::Contains("discrete actions"));
  // Pixels are refused before a store of a million frames is made.
  CHECK_THROWS_WITH(make(recipe_of("sac", {{"env", "CarRacing-v3"}})),
                    Catch::Contains("CarRacing-v3: observations Box(0, 255, (96, 96, 3), uint8)") &&
                        Catch::Contains("vector"));
  CHECK_THROWS_WITH(make(recipe_of("ppo", {{"env", "CartPol-v1"}})), Catch::Contains("CartPole-v1"));
  CHECK_THROWS_WITH(find_algorithm("ppo2"), Catch::Contains("give one of ppo, a2c, dqn, sac, td3"));
  // A value read from a file names the file once, not the env as well.
  Recipe from_file = recipe_of("sac", {{"hidden", "64,x"}});
  from_file.set_source("recipes/mine.cfg");
  CHECK_THROWS_WITH(make(from_file), Catch::StartsWith("recipes/mine.cfg: hidden = 64,x is not a list"));
}

TEST_CASE("MAPPO's actor sees each agent's own observation and id, its critic also the state", "[agents][multi]") {
  auto t = make(recipe_of("mappo", {{"num_envs", "2"}, {"num_steps", "25"}, {"total_steps", "50"}}));
  auto& learner = dynamic_cast<OnPolicyLearner&>(t->learner());
  // simple_spread: 18 own + 3 id floats, then the state (3 x 18).
  REQUIRE(learner.observation_space().numel() == 18 + 3 + 54);
  REQUIRE(learner.agent().actor_inputs == 21);
  torch::Tensor obs = torch::randn({1, 75});
  torch::Tensor other = obs.clone();
  other.narrow(1, 21, 54).add_(1.0);
  CHECK(torch::equal(learner.agent().actor_out(obs), learner.agent().actor_out(other)));
  CHECK_FALSE(torch::equal(learner.agent().value(obs), learner.agent().value(other)));
  std::atomic<bool> stop{false};
  const Report r = t->iterate(stop);
  CHECK(t->global_step() == 50);  // env steps: 2 envs x 25 steps, not agent rows
  CHECK(r.episode_returns.size() == 6);  // each of the 3 agents of 2 envs ends an episode at max_cycles
}

TEST_CASE("Self-play: seats alternate, illegal moves forfeit, the pool grows, evaluations meet the scripted player",
          "[agents][selfplay]") {
  const Recipe r = recipe_of("selfplay", {{"env", "ConnectFour-v0"}, {"num_envs", "2"}, {"num_steps", "8"},
                                          {"total_steps", "64"}, {"snapshot_every", "16"}, {"eval_opponent", "greedy"}});
  auto t = make(r);
  auto& games = dynamic_cast<SelfPlayBatch&>(dynamic_cast<OnPolicyTrainer&>(*t).rollout().batch());
  CHECK(games.pool_size() == 1);  // the learner as it started
  std::atomic<bool> stop{false};
  while (t->global_step() < t->total_steps()) t->iterate(stop);
  CHECK(games.pool_size() == 1 + 64 / 16);
  // A fresh batch: env 0's learner moves first, env 1's after the opponent's opening move.
  SelfPlayBatch batch(r, 2, 5, true);
  const Batch& b = batch.reset();
  float pieces[2] = {0, 0};
  for (int row = 0; row < 2; ++row)
    for (int k = 0; k < 84; ++k) pieces[row] += b.obs_row<float>(row)[k];
  CHECK(pieces[0] == 0);
  CHECK(pieces[1] == 1);
  // Filling column 3 makes it illegal; a learner that plays it anyway loses at once.
  std::vector<int64_t> column(2, 3);
  for (int k = 0; k < 3; ++k) batch.step(column.data());  // greedy replies elsewhere or on top
  int64_t forfeits = 0;
  for (int k = 0; k < 6; ++k) {
    batch.step(column.data());
    for (int row = 0; row < 2; ++row)
      if (b.terminated[row] && b.reward[row] == -1 && b.episode_length[row] <= 6) ++forfeits;
  }
  CHECK(forfeits >= 1);
}

TEST_CASE("Self-play batches carry the learner's legal moves, and on-policy learners act within them",
          "[agents][selfplay]") {
  const Recipe r = recipe_of("selfplay", {{"env", "ConnectFour-v0"}, {"num_envs", "2"}, {"num_steps", "8"},
                                          {"total_steps", "64"}, {"eval_opponent", "greedy"}});
  auto t = make(r);
  auto& learner = dynamic_cast<OnPolicyLearner&>(t->learner());
  SelfPlayBatch batch(r, 2, 5, true);
  const Batch* b = &batch.reset();
  REQUIRE(b->mask_width == 7);
  for (int k = 0; k < 14; ++k) CHECK(b->action_mask[k] == 1);  // an empty board (env 1: one piece)
  // After a few moves, a column is legal exactly where its top cell (row 0, cells
  // [c][own, other]) is empty.
  std::vector<int64_t> column(2, 3);
  for (int k = 0; k < 3; ++k) b = &batch.step(column.data());
  for (int row = 0; row < 2; ++row)
    for (int c = 0; c < 7; ++c) {
      const float* top = b->obs_row<float>(row) + 2 * c;
      CHECK(b->action_mask[row * 7 + c] == (top[0] == 0 && top[1] == 0));
    }
  // A fresh policy is close to uniform: 300 draws without a mask play every column.
  std::vector<uint8_t> mask(2 * 7, 1);
  mask[3] = mask[7 + 3] = mask[7 + 5] = 0;
  std::vector<int64_t> acts(2);
  std::vector<int> seen(7, 0);
  for (int k = 0; k < 300; ++k) {
    learner.act(PolicyInput{b->obs, 2, nullptr, mask.data()}, Acting::Stochastic, acts.data());
    CHECK(acts[0] != 3);
    CHECK(acts[1] != 3);
    CHECK(acts[1] != 5);
    ++seen[acts[0]];
  }
  CHECK(seen[5] > 0);  // only row 1 masks column 5
  learner.act(PolicyInput{b->obs, 2, nullptr, mask.data()}, Acting::Deterministic, acts.data());
  CHECK(acts[0] != 3);
  CHECK(acts[1] != 3);
  int64_t unmasked_threes = 0;
  for (int k = 0; k < 300; ++k) {
    learner.act(PolicyInput{b->obs, 2, nullptr, nullptr}, Acting::Stochastic, acts.data());
    unmasked_threes += acts[0] == 3;
  }
  CHECK(unmasked_threes > 0);
  // A whole training run with masks: the learner never forfeits.
  std::atomic<bool> stop{false};
  Report report;
  while (t->global_step() < t->total_steps()) report = t->iterate(stop);
  auto& games = dynamic_cast<SelfPlayBatch&>(dynamic_cast<OnPolicyTrainer&>(*t).rollout().batch());
  CHECK(games.learner_forfeits() == 0);
}

TEST_CASE("Self-play can mix scripted opponents into its training games", "[agents][selfplay]") {
  // With every game against greedy, the opponent's reply to a learner that stacks
  // column 0 blocks the fourth piece: greedy's block, never a snapshot's chance move.
  const Recipe r = recipe_of("selfplay", {{"env", "ConnectFour-v0"}, {"num_envs", "8"}, {"scripted_opponents", "greedy"},
                                          {"scripted_share", "1"}});
  auto t = make(r);
  SelfPlayBatch batch(r, 8, 9, false);
  batch.attach(t->learner(), [](const Recipe& rr, const Space& o, const Space& a) {
    return std::unique_ptr<Learner>(new PpoLearner(rr, o, a));
  });
  const Batch* b = &batch.reset();
  std::vector<int64_t> stack(8, 0);
  for (int k = 0; k < 3; ++k) b = &batch.step(stack.data());
  // Where the learner (moving first: even envs) got three in column 0 (rows 5, 4, 3),
  // greedy blocked on top (row 2). Planes: cell (row, col) at 2 * (7 * row + col).
  int threats = 0;
  for (int row = 0; row < 8; row += 2) {
    const float* o = b->obs_row<float>(row);
    if (!(o[2 * 35] == 1 && o[2 * 28] == 1 && o[2 * 21] == 1)) continue;
    ++threats;
    CHECK(o[2 * 14 + 1] == 1.f);
  }
  CHECK(threats >= 1);
  CHECK(batch.records()[0].wins + batch.records()[0].losses + batch.records()[0].draws == 0);
  CHECK_THROWS_WITH(SelfPlayBatch(recipe_of("selfplay", {{"env", "ConnectFour-v0"}, {"scripted_opponents", "mcts"}}),
                                  2, 1, false),
                    Catch::Contains("scripted_opponents = mcts is not a scripted player of ConnectFour-v0"));
  CHECK_THROWS_WITH(SelfPlayBatch(recipe_of("selfplay", {{"env", "ConnectFour-v0"}, {"scripted_share", "0.5"}}),
                                  2, 1, false),
                    Catch::Contains("needs scripted_opponents"));
}

TEST_CASE("Independent PPO keeps a learner per agent: agent k's rows reach only learner k", "[agents][multi]") {
  auto t = make(recipe_of("ippo", {{"env", "simple_push_v3"}, {"shared_policy", "false"}, {"num_envs", "2"},
                                   {"num_steps", "25"}, {"total_steps", "100"}}));
  StateMap before;
  t->learner().save(before);
  REQUIRE(before.count("agent_0/agent"));
  REQUIRE(before.count("agent_1/agent"));
  CHECK(before.at("agent_0/agent") != before.at("agent_1/agent"));  // seeds seed + k
  std::atomic<bool> stop{false};
  t->iterate(stop);
  StateMap after;
  t->learner().save(after);
  CHECK(after.at("agent_0/agent") != before.at("agent_0/agent"));
  CHECK(after.at("agent_1/agent") != before.at("agent_1/agent"));
  // Acting routes rows to their agent's learner: rows 0 and 2 are agent 0's.
  auto& learner = dynamic_cast<OnPolicyLearner&>(t->learner());
  const torch::Tensor obs = torch::randn({4, learner.observation_space().numel()});
  torch::Tensor same = obs.clone();
  same[2] = obs[0];
  std::vector<int64_t> a(4), b(4);
  learner.act(same, Acting::Deterministic, a.data());
  CHECK(a[0] == a[2]);
}

TEST_CASE("Every recipe in recipes/ makes its trainer", "[agents][recipes]") {
  int made = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(RLARENA_SOURCE_DIR) + "/recipes")) {
    if (entry.path().extension() != ".cfg") continue;
    INFO(entry.path().filename().string());
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const RawConfig given = read_config(text, entry.path().string());
    REQUIRE(given.count("algo"));
    const Algorithm& algo = find_algorithm(given.at("algo").front());
    // A smaller replay store than the recipe's, so that this test stays light; an offline
    // recipe gets a small dataset of its env in place of the one scripts/datasets.sh makes.
    RawConfig light = given;
    if (light.count("buffer_size")) light["buffer_size"] = {"20000"};
    if (light.count("dataset")) light["dataset"] = {agent_test::random_dataset(given.at("env").front(), 600)};
    const Recipe r(algo.keys, light);
    auto trainer = algo.make_trainer(r, {});
    // An offline recipe's online phase comes after its gradient steps.
    const int64_t online = r.has("online_steps") ? r.integer("online_steps") : 0;
    CHECK(trainer->total_steps() == r.integer("total_steps") + online);
    ++made;
  }
  CHECK(made >= 37);
}

TEST_CASE("DQN's anneal_lr: the step size falls linearly to 0 over the run", "[agents][dqn]") {
  auto t = make(recipe_of("dqn", {{"total_steps", "1000"}, {"learning_starts", "100"}, {"train_frequency", "1"},
                                  {"anneal_lr", "true"}, {"learning_rate", "0.001"}, {"log_every", "500"},
                                  {"batch_size", "16"}, {"buffer_size", "1000"}}));
  run_until(*t, 500);
  auto& dqn = static_cast<DqnLearner&>(t->learner());
  // The last training was at step 500 of 1000.
  CHECK(dqn.optimizer().param_groups()[0].options().get_lr() == Approx(0.0005));
  auto fixed = make(recipe_of("dqn", {{"total_steps", "1000"}, {"learning_starts", "100"}, {"learning_rate", "0.001"},
                                      {"log_every", "500"}, {"batch_size", "16"}, {"buffer_size", "1000"}}));
  run_until(*fixed, 500);
  CHECK(static_cast<DqnLearner&>(fixed->learner()).optimizer().param_groups()[0].options().get_lr() == 0.001);
}
