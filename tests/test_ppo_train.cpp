// PPO learns: CartPole-v1 reaches a mean return of 475 over 20 episodes in a short
// budget; the same seed gives the same run.
#include <catch2/catch.hpp>
#include <deque>
#include <numeric>

#include "agents/ppo/ppo.h"

using namespace rlarena;

namespace {
// Mean of the last 20 finished episodes after each update, until `target` or the end.
std::vector<double> learning_curve(ppo::Config config, double target) {
  std::deque<double> recent;
  std::vector<double> curve;
  ppo::train(config, [&](const ppo::UpdateStats& s) {
    for (double r : s.episode_returns) {
      recent.push_back(r);
      if (recent.size() > 20) recent.pop_front();
    }
    curve.push_back(recent.empty() ? 0 : std::accumulate(recent.begin(), recent.end(), 0.0) / recent.size());
    return !(recent.size() == 20 && curve.back() >= target);
  });
  return curve;
}
}  // namespace

TEST_CASE("PPO solves CartPole-v1 within 200k steps", "[agents][ppo][learn]") {
  ppo::Config config;
  config.total_steps = 200000;
  config.learning_rate = 1e-3;  // a short budget wants faster steps than CleanRL's 2.5e-4
  config.seed = 1;
  const auto curve = learning_curve(config, 475);
  INFO("updates: " << curve.size() << ", last mean return " << curve.back());
  CHECK(curve.back() >= 475);
}

TEST_CASE("PPO runs repeat with their seed", "[agents][ppo]") {
  ppo::Config config;
  config.total_steps = 4096;
  config.seed = 7;
  std::vector<std::vector<double>> runs;
  for (int k = 0; k < 2; ++k) {
    std::vector<double> losses;
    ppo::train(config, [&](const ppo::UpdateStats& s) {
      losses.push_back(s.policy_loss), losses.push_back(s.value_loss);
      losses.insert(losses.end(), s.episode_returns.begin(), s.episode_returns.end());
      return true;
    });
    runs.push_back(losses);
  }
  CHECK(runs[0] == runs[1]);
}
