// SAC speed figure of issue [5/5]: our SAC trainer on HalfCheetah-v5 (env steps,
// ReplayStore sampling and one update per step, 256x256 networks, batch 256) against
// a plain LibTorch loop of the same update written as CleanRL writes it (separate Q
// networks, the temperature step after a fresh actor call, critic weight gradients
// computed in actor steps) on ready-made tensors, in alternating rounds of one process.
//   sac_update [ROUNDS] [SECONDS_PER_ROUND] [BLAS_THREADS]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "agents/common/torch_threads.h"
#include "agents/algorithms.h"

using namespace rlarena;
using Clock = std::chrono::steady_clock;

namespace {

torch::nn::Sequential net(int64_t in, int64_t out) {
  return torch::nn::Sequential(torch::nn::Linear(in, 256), torch::nn::ReLU(), torch::nn::Linear(256, 256),
                               torch::nn::ReLU(), torch::nn::Linear(256, out));
}

// CleanRL's sac_continuous_action.py update on fixed data.
struct PlainSac {
  const int64_t obs = 17, act = 6, batch = 256;
  torch::nn::Sequential actor = net(obs, 2 * act), q1 = net(obs + act, 1), q2 = net(obs + act, 1);
  torch::nn::Sequential q1t = net(obs + act, 1), q2t = net(obs + act, 1);
  torch::Tensor log_alpha = torch::zeros({1}, torch::requires_grad());
  std::vector<torch::Tensor> q_params;
  std::unique_ptr<torch::optim::Adam> q_opt, actor_opt, alpha_opt;
  torch::Tensor o = torch::randn({batch, obs}), a = torch::rand({batch, act}) * 2 - 1, r = torch::randn({batch});
  torch::Tensor o2 = torch::randn({batch, obs}), d = torch::zeros({batch});
  int64_t step = 0;

  PlainSac() {
    for (auto& p : q1->parameters()) q_params.push_back(p);
    for (auto& p : q2->parameters()) q_params.push_back(p);
    q_opt = std::make_unique<torch::optim::Adam>(q_params, torch::optim::AdamOptions(1e-3));
    actor_opt = std::make_unique<torch::optim::Adam>(actor->parameters(), torch::optim::AdamOptions(3e-4));
    alpha_opt = std::make_unique<torch::optim::Adam>(std::vector<torch::Tensor>{log_alpha}, torch::optim::AdamOptions(1e-3));
  }
  std::pair<torch::Tensor, torch::Tensor> get_action(const torch::Tensor& x) {
    auto out = actor->forward(x).chunk(2, -1);
    auto log_std = -5 + 0.5 * 7 * (torch::tanh(out[1]) + 1);
    auto std = log_std.exp();
    auto u = out[0] + std * torch::randn_like(std);
    auto y = torch::tanh(u);
    auto log_prob = -0.5 * ((u - out[0]) / std).pow(2) - log_std - 0.9189385332 - torch::log(1 - y.pow(2) + 1e-6);
    return {y, log_prob.sum(1)};
  }
  void update() {
    const double alpha = log_alpha.exp().item<double>();
    torch::Tensor target;
    {
      torch::NoGradGuard g;
      auto [na, nlp] = get_action(o2);
      auto x = torch::cat({o2, na}, 1);
      target = r + (1 - d) * 0.99 * (torch::min(q1t->forward(x), q2t->forward(x)).view(-1) - alpha * nlp);
    }
    auto x = torch::cat({o, a}, 1);
    auto loss = torch::mse_loss(q1->forward(x).view(-1), target) + torch::mse_loss(q2->forward(x).view(-1), target);
    q_opt->zero_grad();
    loss.backward();
    q_opt->step();
    if (step % 2 == 0) {
      for (int k = 0; k < 2; ++k) {
        auto [pi, lp] = get_action(o);
        auto xp = torch::cat({o, pi}, 1);
        auto actor_loss = (log_alpha.exp().detach() * lp - torch::min(q1->forward(xp), q2->forward(xp)).view(-1)).mean();
        actor_opt->zero_grad();
        actor_loss.backward();
        actor_opt->step();
        torch::Tensor lp2;
        {
          torch::NoGradGuard g;
          lp2 = get_action(o).second;
        }
        auto alpha_loss = (-log_alpha.exp() * (lp2 + (-6.0))).mean();
        alpha_opt->zero_grad();
        alpha_loss.backward();
        alpha_opt->step();
      }
    }
    torch::NoGradGuard g;
    for (auto pair : {std::make_pair(q1, q1t), std::make_pair(q2, q2t)}) {
      auto src = pair.first->parameters(), dst = pair.second->parameters();
      for (size_t i = 0; i < src.size(); ++i) dst[i].mul_(0.995).add_(src[i], 0.005);
    }
    ++step;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  const double seconds = argc > 2 ? std::atof(argv[2]) : 10;
  const int blas = argc > 3 ? std::atoi(argv[3]) : 2;
  keep_freed_memory();
  set_torch_threads(1);
  set_blas_threads(blas);
  const Algorithm& sac = find_algorithm("sac");
  Recipe recipe(sac.keys, {{"env", {"HalfCheetah-v5"}}, {"learning_starts", {"2000"}}, {"total_steps", {"100000000"}},
                           {"buffer_size", {"1000000"}}, {"log_every", {"100"}}});
  auto ours = sac.make_trainer(recipe, {});
  std::atomic<bool> stop{false};
  while (ours->global_step() < 3000) ours->iterate(stop);  // past the random warm-up, learning
  PlainSac plain;
  for (int i = 0; i < 20; ++i) plain.update();
  std::printf("SAC HalfCheetah-v5, 256x256, batch 256, 1 update per env step; torch 1 thread, BLAS %d\n", blas);
  std::vector<double> ratios;
  for (int round = 0; round < rounds; ++round) {
    auto t0 = Clock::now();
    const int64_t s0 = ours->global_step();
    while (std::chrono::duration<double>(Clock::now() - t0).count() < seconds) ours->iterate(stop);
    const double ours_sps = (ours->global_step() - s0) / std::chrono::duration<double>(Clock::now() - t0).count();
    t0 = Clock::now();
    int64_t n = 0;
    while (std::chrono::duration<double>(Clock::now() - t0).count() < seconds) plain.update(), ++n;
    const double plain_ups = n / std::chrono::duration<double>(Clock::now() - t0).count();
    ratios.push_back(ours_sps / plain_ups);
    std::printf("round %d: rlarena %.1f env steps/s (with updates) | plain LibTorch %.1f updates/s | ratio %.3f\n",
                round + 1, ours_sps, plain_ups, ratios.back());
  }
  std::sort(ratios.begin(), ratios.end());
  std::printf("median ratio %.3f\n", ratios[ratios.size() / 2]);
}
