// Offline speed figures of issue [2/8]: gradient steps/s of rlarena's BC, TD3+BC, CQL
// and IQL (the OfflineTrainer sampling from a HalfCheetah-v5 dataset in a ReplayStore,
// 256x256 networks, batch 256) against plain LibTorch loops of the same updates written
// as CORL writes them (separate networks, ready-made tensors), in alternating rounds of
// one process; and CQL's batched pass over its sampled actions against a loop over them.
//   offline_update [ROUNDS] [SECONDS_PER_ROUND] [BLAS_THREADS]
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "agents/algorithms.h"
#include "agents/common/torch_threads.h"
#include "envs/core/vec_env.h"
#include "replay/d4rl.h"
#include "replay/vec_writer.h"

using namespace rlarena;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int64_t kObs = 17, kAct = 6, kBatch = 256;

torch::nn::Sequential net(int64_t in, int64_t out, int hidden_layers = 2, bool tanh_out = false) {
  torch::nn::Sequential s;
  int64_t width = in;
  for (int i = 0; i < hidden_layers; ++i) s->push_back(torch::nn::Linear(width, 256)), s->push_back(torch::nn::ReLU()), width = 256;
  s->push_back(torch::nn::Linear(width, out));
  if (tanh_out) s->push_back(torch::nn::Tanh());
  return s;
}

std::unique_ptr<torch::optim::Adam> adam(std::vector<torch::Tensor> params, double lr) {
  return std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(lr));
}

std::vector<torch::Tensor> params_of(std::initializer_list<torch::nn::Sequential> nets) {
  std::vector<torch::Tensor> out;
  for (const auto& n : nets)
    for (auto& p : n->parameters()) out.push_back(p);
  return out;
}

void soft(torch::nn::Sequential& target, torch::nn::Sequential& source, double tau) {
  torch::NoGradGuard g;
  auto s = source->parameters(), t = target->parameters();
  for (size_t i = 0; i < s.size(); ++i) t[i].mul_(1 - tau).add_(s[i], tau);
}

// Fixed data, as CORL's loops take it from their replay buffer on the GPU or CPU.
struct Data {
  torch::Tensor o = torch::randn({kBatch, kObs}), a = torch::rand({kBatch, kAct}) * 2 - 1, r = torch::randn({kBatch});
  torch::Tensor o2 = torch::randn({kBatch, kObs}), d = torch::zeros({kBatch});
};

struct PlainBc {
  Data x;
  torch::nn::Sequential actor = net(kObs, kAct, 2, true);
  std::unique_ptr<torch::optim::Adam> opt = adam(actor->parameters(), 3e-4);
  void update() {
    auto loss = torch::mse_loss(actor->forward(x.o), x.a);
    opt->zero_grad(), loss.backward(), opt->step();
  }
};

struct PlainTd3Bc {
  Data x;
  torch::nn::Sequential actor = net(kObs, kAct, 2, true), actor_t = net(kObs, kAct, 2, true);
  torch::nn::Sequential q1 = net(kObs + kAct, 1), q2 = net(kObs + kAct, 1), q1t = net(kObs + kAct, 1),
                        q2t = net(kObs + kAct, 1);
  std::unique_ptr<torch::optim::Adam> a_opt = adam(actor->parameters(), 3e-4), q_opt = adam(params_of({q1, q2}), 3e-4);
  int64_t it = 0;
  void update() {
    torch::Tensor target;
    {
      torch::NoGradGuard g;
      auto noise = (torch::randn_like(x.a) * 0.2).clamp(-0.5, 0.5);
      auto na = (actor_t->forward(x.o2) + noise).clamp(-1, 1);
      auto xx = torch::cat({x.o2, na}, 1);
      target = x.r + (1 - x.d) * 0.99 * torch::min(q1t->forward(xx), q2t->forward(xx)).view(-1);
    }
    auto xa = torch::cat({x.o, x.a}, 1);
    auto q_loss = torch::mse_loss(q1->forward(xa).view(-1), target) + torch::mse_loss(q2->forward(xa).view(-1), target);
    q_opt->zero_grad(), q_loss.backward(), q_opt->step();
    if (++it % 2 == 0) {
      auto pi = actor->forward(x.o);
      auto q = q1->forward(torch::cat({x.o, pi}, 1));
      auto lmbda = 2.5 / q.abs().mean().detach();
      auto loss = -lmbda * q.mean() + torch::mse_loss(pi, x.a);
      a_opt->zero_grad(), loss.backward(), a_opt->step();
      soft(actor_t, actor, 0.005), soft(q1t, q1, 0.005), soft(q2t, q2, 0.005);
    }
  }
};

struct PlainIql {
  Data x;
  torch::nn::Sequential actor = net(kObs, kAct, 2, true), v = net(kObs, 1);
  torch::nn::Sequential q1 = net(kObs + kAct, 1), q2 = net(kObs + kAct, 1), q1t = net(kObs + kAct, 1),
                        q2t = net(kObs + kAct, 1);
  torch::Tensor log_std = torch::zeros({kAct}, torch::requires_grad());
  std::unique_ptr<torch::optim::Adam> a_opt = adam([&] {
    auto p = actor->parameters();
    p.push_back(log_std);
    return p;
  }(), 3e-4);
  std::unique_ptr<torch::optim::Adam> q_opt = adam(params_of({q1, q2}), 3e-4), v_opt = adam(v->parameters(), 3e-4);
  void update() {
    torch::Tensor target_q, next_v;
    auto xa = torch::cat({x.o, x.a}, 1);
    {
      torch::NoGradGuard g;
      target_q = torch::min(q1t->forward(xa), q2t->forward(xa)).view(-1);
      next_v = v->forward(x.o2).view(-1);
    }
    auto adv = target_q - v->forward(x.o).view(-1);
    auto w = torch::abs(0.7 - (adv < 0).to(torch::kFloat32));
    auto v_loss = (w * adv.pow(2)).mean();
    v_opt->zero_grad(), v_loss.backward(), v_opt->step();
    auto targets = x.r + (1 - x.d) * 0.99 * next_v;
    auto q_loss = (torch::mse_loss(q1->forward(xa).view(-1), targets) + torch::mse_loss(q2->forward(xa).view(-1), targets)) / 2;
    q_opt->zero_grad(), q_loss.backward(), q_opt->step();
    soft(q1t, q1, 0.005), soft(q2t, q2, 0.005);
    auto exp_adv = torch::exp(3.0 * adv.detach()).clamp_max(100.0);
    auto mean = actor->forward(x.o);
    auto std = log_std.clamp(-20, 2).exp();
    auto log_prob = (-0.5 * ((x.a - mean) / std).pow(2) - std.log() - 0.9189385332).sum(-1);
    auto loss = (exp_adv * -log_prob).mean();
    a_opt->zero_grad(), loss.backward(), a_opt->step();
  }
};

// CORL's cql.py update (SAC critics with 3 hidden layers, tanh-Gaussian actor), with the
// sampled actions' values taken in one batched pass, or (loop) one pass per sample.
struct PlainCql {
  Data x;
  bool loop;
  const int64_t n = 10;
  torch::nn::Sequential actor = net(kObs, 2 * kAct, 3);
  torch::nn::Sequential q1 = net(kObs + kAct, 1, 3), q2 = net(kObs + kAct, 1, 3), q1t = net(kObs + kAct, 1, 3),
                        q2t = net(kObs + kAct, 1, 3);
  torch::Tensor log_alpha = torch::zeros({1}, torch::requires_grad());
  std::unique_ptr<torch::optim::Adam> a_opt = adam(actor->parameters(), 3e-5), q_opt = adam(params_of({q1, q2}), 3e-4),
                                      al_opt = adam({log_alpha}, 3e-4);
  explicit PlainCql(bool per_sample) : loop(per_sample) {}
  // `repeats` draws per state from one actor pass over the states (rows s*repeats ...).
  std::pair<torch::Tensor, torch::Tensor> sample(const torch::Tensor& o, int64_t repeats = 1) {
    auto params = actor->forward(o);
    if (repeats > 1) params = params.repeat_interleave(repeats, 0);  // no copy on the single-draw calls
    auto out = params.chunk(2, -1);
    auto log_std = out[1].clamp(-20, 2), std = log_std.exp();
    auto u = out[0] + std * torch::randn_like(std);
    auto y = torch::tanh(u);
    auto lp = (-0.5 * ((u - out[0]) / std).pow(2) - log_std - 0.9189385332 - 2 * (std::log(2.0) - u - torch::softplus(-2 * u))).sum(-1);
    return {y, lp};
  }
  torch::Tensor q(torch::nn::Sequential& net, const torch::Tensor& o, const torch::Tensor& a) {
    return net->forward(torch::cat({o, a}, -1)).squeeze(-1);
  }
  void update() {
    auto [pi, lp] = sample(x.o);
    auto alpha_loss = -(log_alpha * (lp.detach() - kAct)).mean();
    al_opt->zero_grad(), alpha_loss.backward(), al_opt->step();
    auto alpha = log_alpha.exp().detach();
    auto actor_loss = (alpha * lp - torch::min(q(q1, x.o, pi), q(q2, x.o, pi))).mean();
    a_opt->zero_grad(), actor_loss.backward(), a_opt->step();
    torch::Tensor target;
    {
      torch::NoGradGuard g;
      auto [na, nlp] = sample(x.o2);
      target = x.r + (1 - x.d) * 0.99 * torch::min(q(q1t, x.o2, na), q(q2t, x.o2, na));
    }
    auto qd1 = q(q1, x.o, x.a), qd2 = q(q2, x.o, x.a);
    auto td = torch::mse_loss(qd1, target) + torch::mse_loss(qd2, target);
    torch::Tensor rand_a, cur_a, cur_lp, next_a, next_lp;
    auto o_rep = x.o.repeat_interleave(n, 0);
    {
      torch::NoGradGuard g;
      rand_a = torch::rand({kBatch * n, kAct}) * 2 - 1;
      std::tie(cur_a, cur_lp) = sample(x.o, n);
      std::tie(next_a, next_lp) = sample(x.o2, n);
    }
    const double density = kAct * std::log(0.5);
    torch::Tensor cat1, cat2;
    if (!loop) {
      auto all_o = torch::cat({o_rep, o_rep, o_rep}), all_a = torch::cat({rand_a, cur_a, next_a});
      auto dens = torch::cat({torch::full({kBatch * n}, density), cur_lp, next_lp});
      cat1 = (q(q1, all_o, all_a) - dens).view({3, kBatch, n}).permute({1, 0, 2}).reshape({kBatch, 3 * n});
      cat2 = (q(q2, all_o, all_a) - dens).view({3, kBatch, n}).permute({1, 0, 2}).reshape({kBatch, 3 * n});
    } else {
      // One critic call per sampled action and kind: 3n passes of batch B per critic.
      auto ra = rand_a.view({kBatch, n, kAct}), ca = cur_a.view({kBatch, n, kAct}), na = next_a.view({kBatch, n, kAct});
      auto cl = cur_lp.view({kBatch, n}), nl = next_lp.view({kBatch, n});
      std::vector<torch::Tensor> c1, c2;
      for (int64_t j = 0; j < n; ++j) c1.push_back(q(q1, x.o, ra.select(1, j)) - density), c2.push_back(q(q2, x.o, ra.select(1, j)) - density);
      for (int64_t j = 0; j < n; ++j) c1.push_back(q(q1, x.o, ca.select(1, j)) - cl.select(1, j)), c2.push_back(q(q2, x.o, ca.select(1, j)) - cl.select(1, j));
      for (int64_t j = 0; j < n; ++j) c1.push_back(q(q1, x.o, na.select(1, j)) - nl.select(1, j)), c2.push_back(q(q2, x.o, na.select(1, j)) - nl.select(1, j));
      cat1 = torch::stack(c1, 1), cat2 = torch::stack(c2, 1);
    }
    auto gap = (torch::logsumexp(cat1, 1) - qd1).mean() + (torch::logsumexp(cat2, 1) - qd2).mean();
    auto loss = td + 10.0 * gap;
    q_opt->zero_grad(), loss.backward(), q_opt->step();
    soft(q1t, q1, 0.005), soft(q2t, q2, 0.005);
  }
};

// A random HalfCheetah-v5 dataset of 20k steps (the trainers' input; its content does not change their speed).
std::string dataset() {
  const std::string path = "/tmp/rlarena_bench_" + std::to_string(getpid()) + "_cheetah.hdf5";
  VecEnv venv("HalfCheetah-v5", 4, 0, 1);
  ReplayStore store(venv.observation_space(), venv.action_space(), 20008);
  VecWriter writer(store, 4);
  writer.reset(venv.reset());
  Rng rng(1);
  std::vector<float> a(4 * kAct);
  for (int t = 0; t < 5000; ++t) {
    for (auto& v : a) v = static_cast<float>(2 * rng.uniform() - 1);
    writer.add(venv.step(a), a.data());
  }
  write_d4rl(store, path, {{"env_id", "HalfCheetah-v5"}});
  return path;
}

double rate(const std::function<void()>& step, double seconds, int64_t per_call) {
  const auto t0 = Clock::now();
  int64_t n = 0;
  while (std::chrono::duration<double>(Clock::now() - t0).count() < seconds) step(), n += per_call;
  return n / std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 3;
  const double seconds = argc > 2 ? std::atof(argv[2]) : 5;
  const int blas = argc > 3 ? std::atoi(argv[3]) : 2;
  keep_freed_memory();
  set_torch_threads(1);
  set_blas_threads(blas);
  const std::string data = dataset();
  std::printf("offline updates on HalfCheetah-v5 shapes, 256x256 (CQL 3x256), batch 256; torch 1 thread, BLAS %d\n", blas);
  std::printf("%-8s %-44s %s\n", "algo", "gradient steps/s per round: rlarena | plain", "median ratio");
  PlainBc bc;
  PlainTd3Bc td3bc;
  PlainIql iql;
  PlainCql cql(false);
  const std::vector<std::pair<std::string, std::function<void()>>> plain = {
      {"bc", [&] { bc.update(); }}, {"td3_bc", [&] { td3bc.update(); }}, {"cql", [&] { cql.update(); }},
      {"iql", [&] { iql.update(); }}};
  for (const auto& [algo, plain_update] : plain) {
    const Algorithm& a = find_algorithm(algo);
    Recipe recipe(a.keys, {{"env", {"HalfCheetah-v5"}}, {"dataset", {data}}, {"total_steps", {"100000000"}},
                           {"log_every", {"50"}}, {"blas_threads", {std::to_string(blas)}}});
    auto ours = a.make_trainer(recipe, {});
    std::atomic<bool> stop{false};
    ours->iterate(stop);
    for (int i = 0; i < 20; ++i) plain_update();
    std::vector<double> ratios;
    std::string line;
    for (int r = 0; r < rounds; ++r) {
      const double o = rate([&] { ours->iterate(stop); }, seconds, 50);
      const double p = rate(plain_update, seconds, 1);
      ratios.push_back(o / p);
      char cell[64];
      std::snprintf(cell, sizeof cell, "%.0f | %.0f  ", o, p);
      line += cell;
    }
    std::printf("%-8s %-44s %.3f\n", algo.c_str(), line.c_str(), median(ratios));
    std::fflush(stdout);
  }
  PlainCql looped(true);
  for (int i = 0; i < 5; ++i) looped.update();
  std::vector<double> ratios;
  std::string line;
  for (int r = 0; r < rounds; ++r) {
    const double b = rate([&] { cql.update(); }, seconds, 1), l = rate([&] { looped.update(); }, seconds, 1);
    ratios.push_back(b / l);
    char cell[64];
    std::snprintf(cell, sizeof cell, "%.0f | %.0f  ", b, l);
    line += cell;
  }
  std::printf("CQL's sampled actions (10 x 3 per state): batched | loop updates/s: %s median %.2fx\n", line.c_str(),
              median(ratios));
  std::remove(data.c_str());
}
