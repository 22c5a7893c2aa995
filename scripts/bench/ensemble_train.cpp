// Ensemble speed figure of issue [3/8]: one epoch of training the probabilistic
// ensemble (7 members, 4x200 SiLU, batch 256, HalfCheetah-v5 shapes: 17 + 6 inputs,
// 17 + 1 outputs) as rlarena runs it, all members in one batched pass per minibatch,
// against a loop of 7 separate networks of the same size doing the same updates, in
// alternating rounds of one process. Then prediction as PETS plans: 150 passes (horizon
// 30 x 5 CEM iterations) of 500 rows (population 100 x 5 particles), each row through
// its own member among 5 elites, batched against a loop sending each elite its rows.
//   ensemble_train [ROUNDS] [ROWS] [BLAS_THREADS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "agents/common/distributions.h"
#include "agents/common/torch_threads.h"
#include "agents/model_based/ensemble_model.h"

using namespace rlarena;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int64_t kIn = 23, kOut = 18, kMembers = 7, kBatch = 256;

// One member as a plain LibTorch network: mean and log-variance heads, the same loss.
struct Member {
  torch::nn::Sequential net{torch::nn::Linear(kIn, 200), torch::nn::SiLU(), torch::nn::Linear(200, 200),
                            torch::nn::SiLU(), torch::nn::Linear(200, 200),  torch::nn::SiLU(),
                            torch::nn::Linear(200, 200), torch::nn::SiLU(), torch::nn::Linear(200, 2 * kOut)};
  torch::Tensor max_logvar = torch::full({1, kOut}, 0.5, torch::requires_grad());
  torch::Tensor min_logvar = torch::full({1, kOut}, -10.0, torch::requires_grad());
  std::unique_ptr<torch::optim::Adam> opt;
  Member() {
    auto params = net->parameters();
    params.push_back(max_logvar);
    params.push_back(min_logvar);
    opt = std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(1e-3).weight_decay(5e-5));
  }
  void step(const torch::Tensor& x, const torch::Tensor& y) {
    const torch::Tensor h = net->forward(x);
    const torch::Tensor mean = h.narrow(-1, 0, kOut);
    torch::Tensor logvar = max_logvar - torch::softplus(max_logvar - h.narrow(-1, kOut, kOut));
    logvar = min_logvar + torch::softplus(logvar - min_logvar);
    const torch::Tensor loss = ((mean - y).pow(2) * torch::exp(-logvar) + logvar).mean() +
                               0.01 * (max_logvar.sum() - min_logvar.sum());
    opt->zero_grad();
    loss.backward();
    opt->step();
  }
};

// Times `ours` and `plain` in `rounds` alternating rounds, prints each round (in ms when
// `ms`) and returns the median of plain / ours.
double alternate(int rounds, bool ms, const char* loop_label, const std::function<void()>& ours,
                 const std::function<void()>& plain) {
  const auto seconds = [](const std::function<void()>& f) {
    const auto t0 = Clock::now();
    f();
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  std::vector<double> ratios;
  for (int r = 0; r < rounds; ++r) {
    const double a = seconds(ours), b = seconds(plain);
    ratios.push_back(b / a);
    if (ms) std::printf("round %d: batched %.1f ms | %s %.1f ms | speed-up %.2fx\n", r + 1, 1000 * a, loop_label, 1000 * b, b / a);
    else std::printf("round %d: batched %.2f s | %s %.2f s | speed-up %.2fx\n", r + 1, a, loop_label, b, b / a);
  }
  std::sort(ratios.begin(), ratios.end());
  return ratios[ratios.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 3;
  const int64_t rows = argc > 2 ? std::atoll(argv[2]) : 20000;
  set_torch_threads(1);
  set_blas_threads(argc > 3 ? std::atoi(argv[3]) : 2);
  torch::manual_seed(0);
  Rng rng(0);
  const torch::Tensor x = normal_noise(rng, {rows, kIn}), y = normal_noise(rng, {rows, kOut});
  EnsembleOptions options;
  options.members = kMembers;
  options.max_epochs = 1;
  options.patience = 1;
  options.holdout = 0.0001;  // one epoch over (almost) every row, as the loop does
  ProbabilisticEnsemble batched(kIn, kOut, options);
  std::vector<Member> loop(kMembers);
  std::printf("one training epoch of a %lld-member ensemble on %lld rows (4x200 SiLU, batch %lld); torch 1 thread\n",
              static_cast<long long>(kMembers), static_cast<long long>(rows), static_cast<long long>(kBatch));
  const double training = alternate(
      rounds, false, "loop of 7 networks", [&] { batched.fit(x, y, rng); },
      [&] {
        for (auto& m : loop)
          for (int64_t start = 0; start < rows; start += kBatch) {
            const int64_t n = std::min(kBatch, rows - start);
            m.step(x.narrow(0, start, n), y.narrow(0, start, n));
          }
      });
  std::printf("median speed-up %.2fx\n", training);

  constexpr int64_t kRows = 500, kPasses = 150, kElites = 5;
  std::vector<int64_t> members(kRows);
  for (int64_t i = 0; i < kRows; ++i) members[i] = i % kElites;
  const torch::Tensor xp = normal_noise(rng, {kRows, kIn});
  std::vector<torch::Tensor> own(kElites);  // the loop's rows, grouped once outside the timing
  for (int64_t m = 0; m < kElites; ++m) own[m] = xp.index_select(0, torch::arange(m, kRows, kElites, torch::kInt64));
  c10::InferenceMode inference;
  std::printf("prediction: %lld passes of %lld rows, each row through its own member among %lld elites\n",
              static_cast<long long>(kPasses), static_cast<long long>(kRows), static_cast<long long>(kElites));
  const double prediction = alternate(
      rounds, true, "loop of 5 networks",
      [&] {
        for (int64_t p = 0; p < kPasses; ++p) batched.sample(xp, members, rng, true);
      },
      [&] {
        for (int64_t p = 0; p < kPasses; ++p)
          for (int64_t m = 0; m < kElites; ++m) loop[m].net->forward(own[m]);
      });
  std::printf("prediction median speed-up %.2fx\n", prediction);
}
