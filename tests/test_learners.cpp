// Learners checked on tiny problems with known answers, fed hand-made minibatches
// straight to update(): DQN's Q values on a 2-state chain, SAC's and TD3's actions on
// a one-step continuous bandit, SAC's temperature, PPO and A2C on a two-armed bandit.
// A learner whose loss has the wrong sign fails here.
#include <catch2/catch.hpp>

#include <cmath>

#include "agent_helpers.h"
#include "agents/a2c/a2c.h"
#include "agents/dqn/dqn.h"
#include "agents/ppo/ppo.h"
#include "agents/sac/sac.h"
#include "agents/td3/td3.h"

using namespace rlarena;
using agent_test::recipe_of;

namespace {

const Space kPoint = Space::box(-1.0, 1.0, {1});  // the bandits' one observation, 0
const Space kTwoArms = Space::discrete(2);

// The one-step bandit: actions in [-1, 1], reward 1 - (a - best)^2, every step terminal.
constexpr double kBest = 0.5;

Minibatch bandit_batch(Rng& rng, int64_t n) {
  Minibatch mb;
  mb.obs = torch::zeros({n, 1});
  mb.next_obs = torch::zeros({n, 1});
  mb.actions = torch::empty({n, 1});
  for (int64_t i = 0; i < n; ++i) mb.actions[i][0] = rng.uniform(-1.0, 1.0);
  mb.rewards = 1 - (mb.actions.squeeze(1) - kBest).pow(2);
  mb.terminated = torch::ones({n});
  return mb;
}

float deterministic_action(Learner& learner) {
  float a = 0;
  const float obs = 0;
  learner.act(PolicyInput{&obs, 1, nullptr}, Acting::Deterministic, &a);
  return a;
}

// Two-armed bandit rows sampled from the on-policy learner: arm 1 pays 1, arm 0 pays 0.
Minibatch arms_batch(OnPolicyLearner& learner, int64_t n) {
  torch::NoGradGuard no_grad;
  Minibatch mb;
  mb.obs = torch::zeros({n, 1});
  auto [actions, log_probs] = learner.sample(mb.obs);
  mb.actions = actions;
  mb.log_probs = log_probs;
  mb.values = learner.value(mb.obs);
  mb.returns = actions.to(torch::kFloat32);
  mb.advantages = mb.returns - mb.values;
  return mb;
}

double better_arm_probability(OnPolicyLearner& learner) {
  torch::NoGradGuard no_grad;
  auto [log_prob, entropy] = learner.agent().evaluate(torch::zeros({1, 1}), torch::ones({1}, torch::kInt64));
  return std::exp(log_prob.item<double>());
}

}  // namespace

TEST_CASE("DQN's Q values converge to the 2-state chain's analytic values", "[agents][learners][dqn]") {
  // s0 -a0-> s0, s0 -a1-> s1, s1 -a0-> s0 (rewards 0); s1 -a1-> end with reward 1.
  // With gamma 0.9: Q(s1,a1) = 1, Q(s0,a1) = 0.9, Q(s0,a0) = Q(s1,a0) = 0.81.
  DqnLearner dqn(recipe_of("dqn", {{"gamma", "0.9"}, {"learning_rate", "0.01"}, {"hidden", "32"}}),
                 Space::box(0.0, 1.0, {2}), kTwoArms);
  Minibatch mb;
  mb.obs = torch::tensor({1.f, 0.f, 1.f, 0.f, 0.f, 1.f, 0.f, 1.f}).view({4, 2});
  mb.actions = torch::tensor({0, 1, 0, 1}, torch::kInt64);
  mb.next_obs = torch::tensor({1.f, 0.f, 0.f, 1.f, 1.f, 0.f, 0.f, 1.f}).view({4, 2});
  mb.rewards = torch::tensor({0.f, 0.f, 0.f, 1.f});
  mb.terminated = torch::tensor({0.f, 0.f, 0.f, 1.f});
  for (int i = 1; i <= 3000; ++i) {
    dqn.update(mb);
    if (i % 25 == 0) dqn.update_target();
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor q = dqn.q()->forward(torch::eye(2));
  INFO("Q = " << q);
  CHECK(q[0][0].item<double>() == Approx(0.81).margin(0.03));
  CHECK(q[0][1].item<double>() == Approx(0.9).margin(0.03));
  CHECK(q[1][0].item<double>() == Approx(0.81).margin(0.03));
  CHECK(q[1][1].item<double>() == Approx(1.0).margin(0.03));
  CHECK(dqn.td_errors().size(0) == 4);
}

TEST_CASE("DQN's Huber TD loss (SB3's smooth L1) and its gradient norm clip", "[agents][learners][dqn]") {
  const Space obs = Space::box(0.0, 1.0, {2});
  Minibatch mb;
  mb.obs = torch::eye(2);
  mb.next_obs = torch::eye(2);
  mb.actions = torch::tensor({0, 1}, torch::kInt64);
  mb.terminated = torch::ones({2});
  const auto q_taken = [&](DqnLearner& dqn) {
    torch::NoGradGuard no_grad;
    return dqn.q()->forward(mb.obs).gather(1, mb.actions.unsqueeze(1)).squeeze(1);
  };
  // Terminal rows: the target is the reward, set 0.5 and 3 above Q: 0.5 * 0.5^2 and 3 - 0.5.
  DqnLearner huber(recipe_of("dqn", {{"td_loss", "huber"}, {"hidden", "8"}}), obs, kTwoArms);
  mb.rewards = q_taken(huber) + torch::tensor({0.5f, 3.0f});
  CHECK(huber.update(mb)[0] == Approx((0.125 + 2.5) / 2).epsilon(1e-5));
  DqnLearner mse(recipe_of("dqn", {{"hidden", "8"}}), obs, kTwoArms);
  mb.rewards = q_taken(mse) + torch::tensor({0.5f, 3.0f});
  CHECK(mse.update(mb)[0] == Approx((0.25 + 9.0) / 2).epsilon(1e-5));
  CHECK_THROWS_WITH(DqnLearner(recipe_of("dqn", {{"td_loss", "l1"}}), obs, kTwoArms),
                    Catch::Contains("td_loss = l1 is not known; give mse or huber"));

  // Adam's first step is about learning_rate per weight whatever the gradient's scale,
  // unless the clipped gradient falls below Adam's epsilon (1e-8): then it barely moves.
  const auto flat = [](const std::vector<torch::Tensor>& params) {
    std::vector<torch::Tensor> rows;
    for (const auto& p : params) rows.push_back(p.detach().reshape(-1));
    return torch::cat(rows);
  };
  const auto largest_move = [&](const std::string& max_grad_norm) {
    DqnLearner dqn(recipe_of("dqn", {{"hidden", "8"}, {"learning_rate", "0.01"}, {"max_grad_norm", max_grad_norm}}),
                   obs, kTwoArms);
    mb.rewards = q_taken(dqn) + 3.0;
    const torch::Tensor before = flat(dqn.q()->parameters()).clone();
    dqn.update(mb);
    return (flat(dqn.q()->parameters()) - before).abs().max().item<double>();
  };
  CHECK(largest_move("0") > 0.005);
  CHECK(largest_move("1e-12") < 0.001);
}

TEST_CASE("SAC's deterministic action approaches the bandit's best action", "[agents][learners][sac]") {
  SacLearner sac(recipe_of("sac", {{"hidden", "32,32"}, {"policy_lr", "0.003"}, {"q_lr", "0.003"}}), kPoint, kPoint);
  Rng rng(1);
  const float before = deterministic_action(sac);
  for (int i = 0; i < 1500; ++i) sac.update(bandit_batch(rng, 64));
  const float after = deterministic_action(sac);
  INFO("action before " << before << ", after " << after);
  CHECK(std::fabs(after - kBest) < 0.1);
}

TEST_CASE("SAC's policy with repeats draws as the repeated states would, from one actor pass", "[agents][learners][sac]") {
  // CQL samples 10 actions per state this way; the draws must be those of the copies.
  const Space obs = Space::box(-1.0, 1.0, {3}), act = Space::box(-2.0, 2.0, {2});
  SacLearner once(recipe_of("sac", {{"hidden", "16,16"}}), obs, act);
  SacLearner copies(recipe_of("sac", {{"hidden", "16,16"}}), obs, act);  // the same seed: the same weights and draws
  torch::NoGradGuard no_grad;
  const torch::Tensor states = torch::linspace(-1, 1, 15).view({5, 3});
  const auto [a, log_prob] = once.policy(states, Acting::Stochastic, 4);
  const auto [b, log_prob_copies] = copies.policy(states.repeat_interleave(4, 0), Acting::Stochastic);
  REQUIRE(a.sizes() == torch::IntArrayRef({20, 2}));
  REQUIRE(log_prob.sizes() == torch::IntArrayRef({20}));
  CHECK(torch::allclose(a, b, 1e-5, 1e-6));
  CHECK(torch::allclose(log_prob, log_prob_copies, 1e-5, 1e-5));
  CHECK(a[0].ne(a[1]).all().item<bool>());  // four draws per state, not one repeated
  CHECK(a.abs().max().item<float>() <= 2.0F);
}

TEST_CASE("SAC's temperature moves toward its target entropy", "[agents][learners][sac]") {
  SacLearner sac(recipe_of("sac", {{"hidden", "32,32"}, {"policy_lr", "0.003"}, {"q_lr", "0.003"}}), kPoint, kPoint);
  Rng rng(2);
  const auto entropy = [&] {  // -E[log pi(a|s)] over many sampled actions
    torch::NoGradGuard no_grad;
    return -sac.policy(torch::zeros({4096, 1}), Acting::Stochastic).second.mean().item<double>();
  };
  // The new policy (std ~1 before the tanh) is more random than the target entropy -|A| = -1: alpha falls.
  const double entropy0 = entropy();
  for (int i = 0; i < 100; ++i) sac.update(bandit_batch(rng, 64));
  const double alpha_early = sac.alpha();
  CHECK(entropy0 > -0.5);
  CHECK(alpha_early < 0.2);
  for (int i = 0; i < 2900; ++i) sac.update(bandit_batch(rng, 64));
  INFO("entropy " << entropy0 << " -> " << entropy() << ", alpha 0.2 -> " << alpha_early << " -> " << sac.alpha());
  CHECK(entropy() == Approx(-1.0).margin(0.3));
  // A target of its own (MBRL-Lib's MBPO sets one per env): above -|A|, the temperature
  // rises to keep the policy that random.
  SacLearner higher(recipe_of("sac", {{"hidden", "32,32"}, {"policy_lr", "0.003"}, {"q_lr", "0.003"},
                                      {"target_entropy", "0.2"}}), kPoint, kPoint);
  for (int i = 0; i < 3000; ++i) higher.update(bandit_batch(rng, 64));
  const double higher_entropy = [&] {
    torch::NoGradGuard no_grad;
    return -higher.policy(torch::zeros({4096, 1}), Acting::Stochastic).second.mean().item<double>();
  }();
  INFO("target 0.2: entropy " << higher_entropy << ", alpha " << higher.alpha());
  CHECK(higher_entropy == Approx(0.2).margin(0.3));
  CHECK(higher.alpha() > 0.2);
  // Without autotune the temperature stays where it was set.
  SacLearner fixed(recipe_of("sac", {{"hidden", "32,32"}, {"autotune", "false"}, {"alpha", "0.3"}}), kPoint, kPoint);
  for (int i = 0; i < 20; ++i) fixed.update(bandit_batch(rng, 64));
  CHECK(fixed.alpha() == Approx(0.3));
}

TEST_CASE("TD3's deterministic action approaches the bandit's best action", "[agents][learners][td3]") {
  Td3Learner td3(recipe_of("td3", {{"hidden", "32,32"}, {"learning_rate", "0.003"}}), kPoint, kPoint);
  Rng rng(3);
  for (int i = 0; i < 1500; ++i) td3.update(bandit_batch(rng, 64));
  const float after = deterministic_action(td3);
  INFO("action " << after);
  CHECK(std::fabs(after - kBest) < 0.05);
}

TEST_CASE("PPO and A2C come to prefer the better arm of a two-armed bandit", "[agents][learners][onpolicy]") {
  PpoLearner ppo(recipe_of("ppo", {{"learning_rate", "0.01"}, {"ent_coef", "0"}}), kPoint, kTwoArms);
  A2cLearner a2c(recipe_of("a2c", {{"learning_rate", "0.01"}}), kPoint, kTwoArms);
  for (OnPolicyLearner* learner : std::vector<OnPolicyLearner*>{&ppo, &a2c}) {
    const double before = better_arm_probability(*learner);
    for (int i = 0; i < 60; ++i) learner->update(arms_batch(*learner, 64));
    const double after = better_arm_probability(*learner);
    INFO(learner->loss_names().size() << " losses; P(better arm) " << before << " -> " << after);
    CHECK(before == Approx(0.5).margin(0.05));  // the policy head starts near uniform (gain 0.01)
    CHECK(after > 0.9);
  }
}

TEST_CASE("PPO reads pixels through its CNN: uint8 frames, values of [T, B] rows, refusals", "[agents][learners][ppo]") {
  const Space frames = Space::box(0, 255, {36, 36, 2}, DType::UInt8);
  const Space wheel = Space::box(-1.0, 1.0, {3});
  PpoLearner ppo(recipe_of("ppo", {{"hidden", "16"}, {"activation", "gelu"}, {"ortho_init", "false"}}), frames, wheel);
  REQUIRE(ppo.agent().image == std::vector<int64_t>{36, 36, 2});
  const int64_t n = 4, size = 36 * 36 * 2;
  const torch::Tensor bytes = torch::randint(0, 256, {n, size}, torch::kUInt8);
  // observe() hands the CNN the pixel values as floats; it scales them itself.
  const torch::Tensor x = ppo.observe(bytes.data_ptr(), n, Statistics::Keep);
  CHECK(torch::equal(x, bytes.to(torch::kFloat32)));
  // The env's bytes (PolicyInput) and a float tensor of the same frames act alike.
  std::vector<float> from_bytes(n * 3), from_floats(n * 3);
  ppo.act(PolicyInput{bytes.data_ptr(), n, nullptr}, Acting::Deterministic, from_bytes.data());
  ppo.act(x, Acting::Deterministic, from_floats.data());
  CHECK(from_bytes == from_floats);
  torch::NoGradGuard no_grad;
  // Values of a rollout's [T, B] rows are the values of its rows one by one.
  const torch::Tensor flat = ppo.agent().value(x);
  const torch::Tensor grid = ppo.agent().value(x.view({2, 2, size}));
  CHECK(grid.sizes() == torch::IntArrayRef({2, 2}));
  CHECK(torch::allclose(grid.reshape({n}), flat));
  // The CNN reads the frames: a lit corner changes the value.
  torch::Tensor lit = x.clone();
  lit.index_put_({0, torch::indexing::Slice(0, 72)}, 255.0);
  CHECK(ppo.agent().value(lit)[0].item<double>() != flat[0].item<double>());
  CHECK_THROWS_WITH(DqnLearner(recipe_of("dqn", {}), frames, kTwoArms),
                    Catch::Contains("ppo and a2c learn from pixels"));
  CHECK_THROWS_WITH(PpoLearner(recipe_of("ppo", {{"norm_obs", "true"}}), frames, wheel),
                    Catch::Contains("give norm_obs = false"));
}
