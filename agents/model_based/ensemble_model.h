// ProbabilisticEnsemble: the dynamics model of PETS and MBPO (Chua et al. 2018, as
// MBRL-Lib's GaussianMLP): E members, each a Gaussian over (next-state delta, reward)
// given (state, action), with log-variances softly kept between learned bounds, inputs
// and outputs normalized by the data's statistics (the bounds and the network work on
// standardized outputs, so a small output, such as a position's change over one step,
// is not lost under the variance floor). All members train and predict in one batched
// pass (EnsembleMLP's products over the member axis). Elites are the members with the
// lowest held-out error.
#pragma once
#include <torch/torch.h>

#include <vector>

#include "agents/common/networks.h"
#include "common/rng.h"

namespace rlarena {

struct EnsembleOptions {
  int64_t members = 7, elites = 5;
  std::vector<int64_t> hidden = {200, 200, 200, 200};
  double learning_rate = 1e-3, weight_decay = 5e-5;
  int64_t batch_size = 256;
  double holdout = 0.2;        // share of the data held out to pick elites and stop early
  int64_t max_epochs = 50;
  int64_t patience = 5;        // epochs in which no member's held-out error improved, before stopping
  double improvement = 0.01;   // "better": lower by this share (MBRL-Lib's improvement_threshold)
};

class ProbabilisticEnsemble : public torch::nn::Module {
 public:
  ProbabilisticEnsemble(int64_t inputs, int64_t outputs, const EnsembleOptions& options);

  // Mean and log-variance [E, B, out] of every member for inputs [B, in] (shared) or [E, B, in];
  // with `members` (int64 [M]), of those members alone for inputs [M, B, in].
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& members = {});
  // The same for the standardized outputs (what training fits).
  std::pair<torch::Tensor, torch::Tensor> forward_normalized(const torch::Tensor& x, const torch::Tensor& members = {});
  // Gaussian negative log-likelihood of targets y under each member (mean over rows and
  // outputs, summed over members) plus the bounds' regularizer (MBRL-Lib's 0.01).
  torch::Tensor nll(const torch::Tensor& x, const torch::Tensor& y);

  struct FitReport {
    int64_t epochs = 0;
    std::vector<double> holdout_mse;  // per member, at the end, on standardized outputs
  };
  // Trains on inputs [N, in] and targets [N, out]: input and output statistics from the data, each
  // member on its own bootstrap of the training rows, held-out rows for early stopping
  // and the choice of elites.
  FitReport fit(const torch::Tensor& inputs, const torch::Tensor& targets, Rng& rng);

  // One sample per row: row i from member members[i] (trajectory sampling, TS-inf),
  // mean plus std times noise from `rng`; with deterministic, the mean.
  torch::Tensor sample(const torch::Tensor& x, const std::vector<int64_t>& members, Rng& rng,
                       bool deterministic = false);

  const std::vector<int64_t>& elites() const { return elites_; }
  // Elites as a checkpoint holds them (each a member index).
  void set_elites(const std::vector<int64_t>& elites);
  int64_t members() const { return options_.members; }

 private:
  torch::Tensor normalize(const torch::Tensor& x) const;

  EnsembleOptions options_;
  EnsembleMLP net_{nullptr};
  torch::Tensor max_logvar_, min_logvar_;  // [1, out], learned
  torch::Tensor in_mean_, in_std_;         // [1, in], buffers
  torch::Tensor out_mean_, out_std_;       // [1, out], buffers
  std::vector<int64_t> elites_;
};

}  // namespace rlarena
