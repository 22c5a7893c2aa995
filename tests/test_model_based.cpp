// The model-based parts: the probabilistic ensemble, the CEM planner, PETS's trajectory
// sampling, MBPO's rollout schedule and branched rollouts.
#include <catch2/catch.hpp>

#include "agent_helpers.h"
#include "agents/model_based/cem.h"
#include "agents/model_based/ensemble_model.h"
#include "agents/model_based/mbpo.h"
#include "agents/model_based/pets.h"
#include "envs/core/registry.h"

using namespace rlarena;

namespace {

EnsembleOptions small() {
  EnsembleOptions o;
  o.members = 5;
  o.elites = 3;
  o.hidden = {64, 64};
  o.max_epochs = 60;
  o.patience = 8;
  return o;
}

// y = A x + b, inputs uniform in [-1, 1]^3, a little noise.
std::pair<torch::Tensor, torch::Tensor> linear_data(int64_t n, Rng& rng) {
  const torch::Tensor a = torch::tensor({{1.0f, -2.0f}, {0.5f, 0.0f}, {-1.0f, 3.0f}});
  torch::Tensor x = torch::empty({n, 3});
  for (int64_t i = 0; i < x.numel(); ++i) x.data_ptr<float>()[i] = static_cast<float>(rng.uniform(-1, 1));
  torch::Tensor noise = torch::empty({n, 2});
  for (int64_t i = 0; i < noise.numel(); ++i) noise.data_ptr<float>()[i] = static_cast<float>(0.01 * rng.normal());
  return {x, torch::mm(x, a) + torch::tensor({0.5f, -0.25f}) + noise};
}

// InvertedPendulum's observations in [-0.2, 0.2], any action; the pole's angle grows
// by 0.06 a step and every step pays 1.
Minibatch tipping_pole_data() {
  const int64_t n = 3000;
  Minibatch data;
  data.obs = torch::rand({n, 4}) * 0.4 - 0.2;
  data.actions = torch::rand({n, 1}) * 6 - 3;
  data.next_obs = data.obs + torch::tensor({0.f, 0.06f, 0.f, 0.f});
  data.rewards = torch::ones({n});
  return data;
}

}  // namespace

TEST_CASE("The ensemble fits a linear system, its members disagree away from the data", "[model_based]") {
  torch::manual_seed(0);
  Rng rng(1);
  auto [x, y] = linear_data(2000, rng);
  ProbabilisticEnsemble model(3, 2, small());
  const auto report = model.fit(x, y, rng);
  CHECK(report.epochs >= 5);
  auto [tx, ty] = linear_data(500, rng);
  torch::NoGradGuard no_grad;
  auto [mean, logvar] = model.forward(tx);
  const double mse = (mean - ty.unsqueeze(0)).pow(2).mean().item<double>();
  CHECK(mse < 0.01);
  // Disagreement between members (epistemic variance) at the data against far outside it.
  const double inside = mean.var(0).mean().item<double>();
  const torch::Tensor far = torch::full({100, 3}, 4.0);
  const double outside = model.forward(far).first.var(0).mean().item<double>();
  CHECK(outside > 20 * inside);
  // The elites are the members with the lowest held-out error.
  std::vector<int64_t> ranked = {0, 1, 2, 3, 4};
  std::sort(ranked.begin(), ranked.end(),
            [&](int64_t a, int64_t b) { return report.holdout_mse[a] < report.holdout_mse[b]; });
  CHECK(model.elites() == std::vector<int64_t>(ranked.begin(), ranked.begin() + 3));
}

TEST_CASE("A model training keeps its own best epoch, not the weights it started from", "[model_based]") {
  // A second training on the same data draws new held-out rows, some of which the first
  // trained on: the error before it flatters the old weights. MBPO's rule measures each
  // member's improvement from the training's own first epoch, so the weights move on.
  torch::manual_seed(0);
  Rng rng(7);
  auto [x, y] = linear_data(2000, rng);
  ProbabilisticEnsemble model(3, 2, small());
  model.fit(x, y, rng);
  std::vector<torch::Tensor> before;
  for (const auto& p : model.parameters()) before.push_back(p.detach().clone());
  EnsembleOptions brief = small();
  brief.max_epochs = 2;
  brief.patience = 1;
  ProbabilisticEnsemble again(3, 2, brief);
  {
    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < before.size(); ++i) again.parameters()[i].copy_(before[i]);
  }
  const auto report = again.fit(x, y, rng);
  CHECK(report.epochs >= 1);
  double moved = 0;
  for (size_t i = 0; i < before.size(); ++i) moved += (again.parameters()[i] - before[i]).abs().sum().item<double>();
  CHECK(moved > 0);
}

TEST_CASE("Trajectory sampling keeps each row on its member", "[model_based]") {
  torch::manual_seed(0);
  ProbabilisticEnsemble model(3, 2, small());
  Rng rng(2);
  const torch::Tensor x = torch::randn({4, 3});
  const std::vector<int64_t> members = {3, 0, 3, 1};
  const torch::Tensor s = model.sample(x, members, rng, true);
  torch::NoGradGuard no_grad;
  const torch::Tensor all = model.forward(x).first;  // [5, 4, 2]
  // Each member computes only its own rows (a batch of another size than forward's):
  // equal to float rounding.
  for (int64_t i = 0; i < 4; ++i) CHECK(torch::allclose(s[i], all[members[i]][i], 1e-5, 1e-6));
  // Sampled, the noise is the member's own variance: the same generator state, the same draw.
  Rng a(9), b(9);
  CHECK(torch::equal(model.sample(x, members, a), model.sample(x, members, b)));
}

TEST_CASE("CEM finds the optimum of a quadratic inside the bounds", "[model_based]") {
  Rng rng(3);
  const torch::Tensor target = torch::tensor({{0.3f, -0.7f}, {0.9f, 0.1f}, {-0.2f, 0.5f}});  // [horizon 3, action 2]
  const auto score = [&](const torch::Tensor& seqs) { return -(seqs - target).pow(2).sum({1, 2}); };
  CemOptions o;
  o.population = 400;
  o.elites = 40;
  o.iterations = 8;
  const torch::Tensor best =
      cem_optimize(score, torch::zeros({3, 2}), -torch::ones({2}), torch::ones({2}), o, rng);
  CHECK((best - target).abs().max().item<double>() < 0.05);
  // A target outside the box: the plan stops at the bound.
  const torch::Tensor outside = torch::full({3, 2}, 2.0);
  const auto to_corner = [&](const torch::Tensor& seqs) { return -(seqs - outside).pow(2).sum({1, 2}); };
  const torch::Tensor corner = cem_optimize(to_corner, torch::zeros({3, 2}), -torch::ones({2}), torch::ones({2}), o, rng);
  CHECK(corner.min().item<double>() > 0.9);
  CHECK(corner.max().item<double>() <= 1.0);
}

TEST_CASE("CEM's elites include every sequence tied with the last elite's value", "[model_based]") {
  const torch::Tensor values = torch::tensor({3.f, 1.f, 3.f, 2.f, 3.f, 0.f});
  CHECK(elite_rows(values, 2).equal(torch::tensor({0, 2, 4}, torch::kInt64)));  // three tie at the top
  CHECK(elite_rows(values, 4).equal(torch::tensor({0, 2, 3, 4}, torch::kInt64)));
  CHECK(elite_rows(values, 6).numel() == 6);
  // Where the whole population ties, the refit is the population's mean: with no smoothing
  // and one iteration, the plan is the mean of all 2000 draws (within 4 standard errors of
  // the start), not of a chance 10 (one standard error of those is ~0.47).
  Rng rng(4);
  CemOptions o;
  o.population = 2000;
  o.elites = 10;
  o.iterations = 1;
  o.alpha = 0;
  const auto flat = [](const torch::Tensor& seqs) { return torch::zeros({seqs.size(0)}); };
  const torch::Tensor plan = cem_optimize(flat, torch::zeros({30, 1}), -3 * torch::ones({1}), 3 * torch::ones({1}), o, rng);
  CHECK(plan.abs().max().item<double>() < 4 * 1.5 / std::sqrt(2000.0));
}

TEST_CASE("PETS: particles stop counting reward at their first predicted terminal state", "[model_based]") {
  // A model of InvertedPendulum taught that the pole's angle grows by 0.06 a step and
  // every step pays 1 (its learned reward head): from upright, the env's rule (|angle| >
  // 0.2) ends every particle on the 4th step (0.24), so a sequence of 8 is worth 4.
  const Recipe r = agent_test::recipe_of(
      "pets", {{"env", "InvertedPendulum-v5"}, {"ensemble_size", "3"}, {"ensemble_elites", "2"},
               {"model_hidden", "32,32"}, {"model_max_epochs", "200"}, {"model_patience", "20"},
               {"planning_horizon", "8"}, {"particles", "4"}, {"cem_population", "6"}, {"cem_elites", "2"}});
  PetsLearner pets(r, Space::box(-INFINITY, INFINITY, {4}), Space::box(-3, 3, {1}));
  Rng rng(4);
  const Minibatch data = tipping_pole_data();
  const Losses fit = pets.update(data);
  CHECK(fit[0] < 1e-5);  // held-out error of the elites
  CHECK(pets.trained());
  const torch::Tensor upright = torch::zeros({4});
  const torch::Tensor values = pets.sequence_values(upright, torch::zeros({6, 8, 1}), rng);
  for (int64_t i = 0; i < 6; ++i) CHECK(values[i].item<double>() == Approx(4.0).margin(0.05));
  // Tilted to 0.1 already, the 2nd step (0.22) is the last.
  const torch::Tensor tilted = torch::tensor({0.f, 0.1f, 0.f, 0.f});
  CHECK(pets.sequence_values(tilted, torch::zeros({2, 8, 1}), rng)[0].item<double>() == Approx(2.0).margin(0.05));
  // With the env's own reward (1 while upright, 0 on the terminating step) the same model gives 3.
  const Recipe env_reward = agent_test::recipe_of(
      "pets", {{"env", "InvertedPendulum-v5"}, {"model_reward", "env"}, {"ensemble_size", "3"},
               {"ensemble_elites", "2"}, {"model_hidden", "32,32"}, {"model_max_epochs", "200"},
               {"model_patience", "20"}, {"planning_horizon", "8"}, {"particles", "4"}, {"plan_action_cost", "0.001"}});
  PetsLearner judged(env_reward, Space::box(-INFINITY, INFINITY, {4}), Space::box(-3, 3, {1}));
  judged.update(data);
  CHECK(judged.sequence_values(upright, torch::zeros({2, 8, 1}), rng)[0].item<double>() == Approx(3.0).margin(0.05));
  // The action cost ranks sequences that earn the same reward: 8 steps of action 2 cost
  // 0.001 x 8 x 4 = 0.032 (the model's angle ignores the action).
  const torch::Tensor both = torch::stack({torch::zeros({8, 1}), torch::full({8, 1}, 2.0)});
  const torch::Tensor costed = judged.sequence_values(upright, both, rng);
  CHECK(costed[0].item<double>() - costed[1].item<double>() == Approx(0.032).margin(0.002));
  CHECK_THROWS_WITH(PetsLearner(agent_test::recipe_of("pets", {{"env", "HalfCheetah-v5"}, {"model_reward", "env"}}),
                                Space::box(-INFINITY, INFINITY, {17}), Space::box(-1, 1, {6})),
                    Catch::Contains("HalfCheetah-v5 has no reward function"));
}

TEST_CASE("PETS: the state cost ranks sequences by the states their particles live through", "[model_based]") {
  const auto recipe = [](const std::string& weights) {
    return agent_test::recipe_of(
        "pets", {{"env", "InvertedPendulum-v5"}, {"model_reward", "env"}, {"ensemble_size", "3"},
                 {"ensemble_elites", "2"}, {"model_hidden", "32,32"}, {"model_max_epochs", "200"},
                 {"model_patience", "20"}, {"planning_horizon", "8"}, {"particles", "4"},
                 {"plan_state_cost", weights}});
  };
  const Space obs = Space::box(-INFINITY, INFINITY, {4}), act = Space::box(-3, 3, {1});
  PetsLearner pets(recipe("1,1,0,0"), obs, act);
  pets.update(tipping_pole_data());
  Rng rng(5);
  // From upright the angle is 0.06, 0.12, 0.18 and 0.24 on the four steps a particle
  // lives (the env's reward pays 3): 3 - (0.0036 + 0.0144 + 0.0324 + 0.0576) = 2.892.
  const torch::Tensor plan = torch::zeros({1, 8, 1});
  const double centred = pets.sequence_values(torch::zeros({4}), plan, rng)[0].item<double>();
  CHECK(centred == Approx(2.892).margin(0.01));
  // The cart 0.15 from the middle costs 0.0225 on each of those four steps more.
  const double aside = pets.sequence_values(torch::tensor({0.15f, 0.f, 0.f, 0.f}), plan, rng)[0].item<double>();
  CHECK(centred - aside == Approx(0.09).margin(0.005));
  CHECK_THROWS_WITH(PetsLearner(recipe("1,0"), obs, act), Catch::Contains("has 2 weights but the observations"));
  CHECK_THROWS_WITH(PetsLearner(recipe("0,-1,0,0"), obs, act), Catch::Contains("negative weight; give weights >= 0"));
  CHECK_THROWS_WITH(PetsLearner(recipe("0,x,0,0"), obs, act),
                    Catch::Contains("plan_state_cost = 0,x,0,0 is not a list of numbers"));
  CHECK_THROWS_WITH(PetsLearner(recipe("0,1,0,"), obs, act), Catch::Contains("ends in a comma"));
}

TEST_CASE("PETS: with the env's reward the model fits the state alone", "[model_based]") {
  // InvertedPendulum's data: the angle grows by 0.06 a step; the rewards are 1 with a rare,
  // unforeseeable 0. Held out, that 0 would dominate the error that stops training and
  // picks elites; with model_reward = env the model neither learns nor scores it.
  const auto learner = [](const std::string& reward) {
    return PetsLearner(agent_test::recipe_of("pets", {{"env", "InvertedPendulum-v5"}, {"model_reward", reward},
                                                      {"ensemble_size", "3"}, {"ensemble_elites", "2"},
                                                      {"model_hidden", "32,32"}, {"model_max_epochs", "100"},
                                                      {"model_patience", "20"}}),
                       Space::box(-INFINITY, INFINITY, {4}), Space::box(-3, 3, {1}));
  };
  torch::manual_seed(5);
  const int64_t n = 3000;
  Minibatch data;
  data.obs = torch::rand({n, 4}) * 0.4 - 0.2;
  data.actions = torch::rand({n, 1}) * 6 - 3;
  data.next_obs = data.obs + torch::tensor({0.f, 0.06f, 0.f, 0.f});
  data.rewards = (torch::rand({n}) > 0.02).to(torch::kFloat32);
  PetsLearner env = learner("env");
  CHECK(env.update(data)[0] < 1e-3);
  // The learned head cannot foresee the 0s: a fifth of the error is that column's variance.
  PetsLearner learned = learner("learned");
  CHECK(learned.update(data)[0] > 0.1);
}

TEST_CASE("PETS: an episode's first step plans afresh, not from the last episode's plan", "[model_based]") {
  const auto learner = [] {
    return PetsLearner(agent_test::recipe_of("pets", {{"env", "InvertedPendulum-v5"}, {"model_reward", "env"},
                                                      {"ensemble_size", "2"}, {"ensemble_elites", "1"},
                                                      {"model_hidden", "8"}, {"planning_horizon", "4"},
                                                      {"particles", "2"}, {"cem_population", "8"},
                                                      {"cem_elites", "2"}, {"cem_iterations", "2"}}),
                       Space::box(-INFINITY, INFINITY, {4}), Space::box(-3, 3, {1}));
  };
  const std::vector<float> obs(8, 0.05f);
  const torch::Tensor obs_t = torch::tensor(obs).view({2, 4});
  std::vector<float> actions(2);
  PetsLearner pets = learner();
  {
    c10::InferenceMode trainer_mode;  // as the off-policy trainer acts; the evaluations do not
    pets.act(obs_t, Acting::Deterministic, actions.data());
  }
  // Planned through an untrained model, the warm starts are anything but the middle.
  const torch::Tensor before = pets.plans(Acting::Deterministic).clone();
  REQUIRE(before.abs().sum({1, 2}).min().item<double>() > 0);
  pets.begin_episodes({1, 0}, Acting::Deterministic);
  CHECK(pets.plans(Acting::Deterministic)[0].abs().max().item<double>() == 0.0);  // the middle of [-3, 3]
  CHECK(torch::equal(pets.plans(Acting::Deterministic)[1], before[1]));
  pets.act(obs_t, Acting::Deterministic, actions.data());
  // Given envs, act finds the starts itself: row 0's env has taken no step, row 1's one.
  std::vector<std::unique_ptr<Env>> envs;
  std::vector<Env*> rows;
  for (int k = 0; k < 2; ++k) {
    envs.push_back(make("InvertedPendulum-v5"));
    envs.back()->reset(k);
    rows.push_back(envs.back().get());
  }
  envs[1]->step(std::vector<float>{0.f});
  PetsLearner with_envs = learner(), without = learner();
  with_envs.act(obs_t, Acting::Deterministic, actions.data());
  without.act(obs_t, Acting::Deterministic, actions.data());
  with_envs.act(PolicyInput{obs.data(), 2, rows.data()}, Acting::Deterministic, actions.data());
  without.act(obs_t, Acting::Deterministic, actions.data());
  // The same learner, generator and observations as `pets`: the same plans.
  CHECK(torch::equal(with_envs.plans(Acting::Deterministic), pets.plans(Acting::Deterministic)));
  CHECK(!torch::equal(without.plans(Acting::Deterministic)[0], pets.plans(Acting::Deterministic)[0]));
}

TEST_CASE("MBPO: the rollout length follows its schedule", "[model_based][mbpo]") {
  auto t = find_algorithm("mbpo").make_trainer(
      agent_test::recipe_of("mbpo", {{"model_rollouts", "2"}, {"model_hidden", "8"}}), {});
  const auto& mbpo = static_cast<const MbpoTrainer&>(*t);
  // MBPO's Hopper schedule 20,150,1,15 over epochs of 1000 steps: 1 until epoch 20, 15 from 150.
  CHECK(mbpo.rollout_length(0) == 1);
  CHECK(mbpo.rollout_length(20999) == 1);
  CHECK(mbpo.rollout_length(85000) == 8);  // 1 + 65/130 * 14
  CHECK(mbpo.rollout_length(150000) == 15);
  CHECK(mbpo.rollout_length(400000) == 15);
  CHECK_THROWS_WITH(find_algorithm("mbpo").make_trainer(
                        agent_test::recipe_of("mbpo", {{"rollout_schedule", "20,10,1,15"}}), {}),
                    Catch::Contains("give e.g. 20,150,1,15"));
}

TEST_CASE("MBPO: branched rollouts fill the model store and stop at predicted terminal states",
          "[model_based][mbpo]") {
  auto t = find_algorithm("mbpo").make_trainer(
      agent_test::recipe_of("mbpo", {{"total_steps", "700"}, {"learning_starts", "500"}, {"model_rollouts", "1"},
                                     {"model_train_every", "100"}, {"updates_per_step", "1"}, {"hidden", "32,32"},
                                     {"model_hidden", "32,32"}, {"ensemble_size", "3"}, {"ensemble_elites", "2"},
                                     {"model_max_epochs", "5"}, {"batch_size", "32"}, {"log_every", "100"}}),
      {});
  auto& mbpo = static_cast<MbpoTrainer&>(*t);
  std::atomic<bool> stop{false};
  while (mbpo.global_step() < 600) mbpo.iterate(stop);  // the model has trained once
  const int64_t rows_before = mbpo.model_store().closed();
  CHECK(rows_before == 100);  // model_rollouts x model_train_every one-step rollouts (length 1 at epoch 0)

  // 40 real states, 20 of them tipped past Hopper's healthy angle (|obs[1]| < 0.2).
  const Minibatch real = all_transitions(mbpo.store());
  torch::Tensor starts = real.obs.narrow(0, 0, 40).clone();
  starts.narrow(0, 20, 20).select(1, 1).fill_(0.6f);
  const int64_t written = mbpo.roll_out(starts, 3);
  const ReplayStore& store = mbpo.model_store();
  CHECK(store.closed() == rows_before + written);
  CHECK(store.obs_bytes() == 11 * sizeof(float));
  CHECK(store.action_bytes() == 3 * sizeof(float));
  auto hopper = make("Hopper-v5");
  int64_t tipped = 0, terminal = 0;
  for (int64_t i = 0; i < written; ++i) {
    const int64_t row = (store.head() - written + i + store.capacity()) % store.capacity();
    const auto* next = reinterpret_cast<const float*>(store.next_obs(row));
    // Flags: terminated where Hopper's own rule says so, every other step cut.
    REQUIRE(store.terminated(row) == hopper->terminal_observation(next));
    REQUIRE(store.truncated(row) == !store.terminated(row));
    terminal += store.terminated(row);
    if (reinterpret_cast<const float*>(store.obs(row))[1] == 0.6f) {
      ++tipped;
      REQUIRE(store.terminated(row));
    }
  }
  CHECK(tipped == 20);                  // each tipped start made one step, and it was terminal
  CHECK(written <= 20 + 3 * 20);        // ...and went no further
  CHECK(written > 40);                  // healthy starts went on
}

TEST_CASE("MBPO: a training rolls out no more rows than the model store holds", "[model_based][mbpo]") {
  // model_train_every far beyond the run asks for 1 x 10^6 rollouts at the first training
  // (the speed bench does this, with 400: 4 x 10^8); the store holds model_rollouts x
  // epoch_length x the longest length (1 here) + batch_size.
  auto t = find_algorithm("mbpo").make_trainer(
      agent_test::recipe_of("mbpo", {{"total_steps", "700"}, {"learning_starts", "500"}, {"model_rollouts", "1"},
                                     {"model_train_every", "1000000"},
                                     {"updates_per_step", "1"}, {"hidden", "32,32"}, {"model_hidden", "32,32"},
                                     {"ensemble_size", "3"}, {"ensemble_elites", "2"}, {"model_max_epochs", "2"},
                                     {"batch_size", "32"}, {"log_every", "100"}}),
      {});
  auto& mbpo = static_cast<MbpoTrainer&>(*t);
  std::atomic<bool> stop{false};
  while (mbpo.global_step() < 600) mbpo.iterate(stop);
  CHECK(mbpo.model_store().capacity() == 1 * 1000 + 32);
  CHECK(mbpo.model_store().closed() == 1 * 1000 + 32);
}
