#include "agents/model_based/ensemble_model.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "agents/common/distributions.h"
#include "agents/common/optim.h"
#include "common/error.h"

namespace rlarena {

ProbabilisticEnsemble::ProbabilisticEnsemble(int64_t inputs, int64_t outputs, const EnsembleOptions& o) : options_(o) {
  if (o.members < 1 || o.elites < 1 || o.elites > o.members)
    throw Error("ensemble: give 1 <= elites <= members (got " + std::to_string(o.elites) + " of " +
                std::to_string(o.members) + ")");
  net_ = register_module("net", EnsembleMLP(o.members, inputs, o.hidden, 2 * outputs, Activation::SiLU));
  // MBRL-Lib's starting bounds: log-variances between -10 and 0.5.
  max_logvar_ = register_parameter("max_logvar", torch::full({1, outputs}, 0.5));
  min_logvar_ = register_parameter("min_logvar", torch::full({1, outputs}, -10.0));
  in_mean_ = register_buffer("in_mean", torch::zeros({1, inputs}));
  in_std_ = register_buffer("in_std", torch::ones({1, inputs}));
  out_mean_ = register_buffer("out_mean", torch::zeros({1, outputs}));
  out_std_ = register_buffer("out_std", torch::ones({1, outputs}));
  elites_.resize(o.elites);
  std::iota(elites_.begin(), elites_.end(), 0);
}

torch::Tensor ProbabilisticEnsemble::normalize(const torch::Tensor& x) const { return (x - in_mean_) / in_std_; }

std::pair<torch::Tensor, torch::Tensor> ProbabilisticEnsemble::forward(const torch::Tensor& x,
                                                                       const torch::Tensor& members) {
  auto [mean, logvar] = forward_normalized(x, members);
  return {mean * out_std_ + out_mean_, logvar + 2 * torch::log(out_std_)};
}

std::pair<torch::Tensor, torch::Tensor> ProbabilisticEnsemble::forward_normalized(const torch::Tensor& x,
                                                                                  const torch::Tensor& members) {
  const torch::Tensor h = members.defined() ? net_->forward(normalize(x), members) : net_->forward(normalize(x));
  const int64_t out = h.size(-1) / 2;
  const torch::Tensor mean = h.narrow(-1, 0, out);
  torch::Tensor logvar = max_logvar_ - torch::softplus(max_logvar_ - h.narrow(-1, out, out));
  logvar = min_logvar_ + torch::softplus(logvar - min_logvar_);
  return {mean, logvar};
}

torch::Tensor ProbabilisticEnsemble::nll(const torch::Tensor& x, const torch::Tensor& y) {
  auto [mean, logvar] = forward_normalized(x);
  const torch::Tensor z = (y - out_mean_) / out_std_;
  const torch::Tensor per_member = ((mean - z).pow(2) * torch::exp(-logvar) + logvar).mean({1, 2});
  return per_member.sum() + 0.01 * (max_logvar_.sum() - min_logvar_.sum());
}

ProbabilisticEnsemble::FitReport ProbabilisticEnsemble::fit(const torch::Tensor& inputs, const torch::Tensor& targets,
                                                            Rng& rng) {
  const int64_t n = inputs.size(0), e = options_.members;
  if (n < 2 || targets.size(0) != n) throw Error("ensemble: fit needs two or more rows of inputs and targets");
  const torch::Tensor order = permutation(rng, n);
  const int64_t held = std::clamp<int64_t>(static_cast<int64_t>(n * options_.holdout), 1, n - 1);
  const torch::Tensor hold_x = inputs.index_select(0, order.narrow(0, 0, held));
  const torch::Tensor hold_y = targets.index_select(0, order.narrow(0, 0, held));
  const torch::Tensor train = order.narrow(0, held, n - held);
  const int64_t m = train.size(0);
  {
    torch::NoGradGuard no_grad;
    const torch::Tensor x = inputs.index_select(0, train);
    in_mean_.copy_(x.mean(0, true));
    torch::Tensor std = x.std(0, /*unbiased=*/false, true);
    // A column that does not vary (up to float rounding) is left unscaled.
    in_std_.copy_(torch::where(std < 1e-6, torch::ones_like(std), std));
    const torch::Tensor y = targets.index_select(0, train);
    out_mean_.copy_(y.mean(0, true));
    const torch::Tensor ystd = y.std(0, /*unbiased=*/false, true);
    out_std_.copy_(torch::where(ystd < 1e-6, torch::ones_like(ystd), ystd));
  }
  // Each member's bootstrap of the training rows.
  std::vector<int64_t> boot(e * m);
  const int64_t* rows = train.data_ptr<int64_t>();
  for (auto& r : boot) r = rows[rng.below(m)];
  const torch::Tensor bootstrap = torch::tensor(boot, torch::kInt64).view({e, m});
  torch::optim::Adam opt(parameters(), torch::optim::AdamOptions(options_.learning_rate).weight_decay(options_.weight_decay));

  // On normalized targets, so that every output counts alike.
  auto holdout_mse = [&] {
    torch::NoGradGuard no_grad;
    const torch::Tensor mean = forward_normalized(hold_x).first;
    return (mean - (hold_y - out_mean_) / out_std_).pow(2).mean({1, 2});  // [E]
  };
  // Each member's best held-out error of this training, starting from none (MBPO's rule):
  // the held-out rows are drawn anew each training and the last one trained on some of
  // them, so the error before training flatters the old weights. An epoch is better when
  // some member's error fell by `improvement`; the weights after the last such epoch stay.
  FitReport report;
  std::vector<double> best(e, std::numeric_limits<double>::infinity());
  std::vector<torch::Tensor> best_params;
  for (const auto& p : parameters()) best_params.push_back(p.detach().clone());
  int64_t stale = 0;
  for (int64_t epoch = 0; epoch < options_.max_epochs && stale < options_.patience; ++epoch) {
    // A new order of each member's rows every epoch.
    std::vector<torch::Tensor> shuffled;
    for (int64_t k = 0; k < e; ++k) shuffled.push_back(bootstrap[k].index_select(0, permutation(rng, m)));
    const torch::Tensor idx = torch::stack(shuffled);  // [E, m]
    for (int64_t start = 0; start < m; start += options_.batch_size) {
      const torch::Tensor b = idx.narrow(1, start, std::min(options_.batch_size, m - start));
      const torch::Tensor x = inputs.index({b});  // [E, batch, in]
      const torch::Tensor y = targets.index({b});
      opt.zero_grad();
      nll(x, y).backward();
      opt.step();
    }
    ++report.epochs;
    const torch::Tensor now = holdout_mse();
    bool better = false;
    for (int64_t k = 0; k < e; ++k) {
      const double err = now[k].item<double>();
      if (err < best[k] * (1 - options_.improvement)) best[k] = err, better = true;
    }
    if (better) {
      stale = 0;
      torch::NoGradGuard no_grad;
      const auto params = parameters();
      for (size_t i = 0; i < params.size(); ++i) best_params[i].copy_(params[i]);
    } else {
      ++stale;
    }
  }
  {
    torch::NoGradGuard no_grad;
    const auto params = parameters();
    for (size_t i = 0; i < params.size(); ++i) params[i].copy_(best_params[i]);
  }
  const torch::Tensor mse = holdout_mse();
  report.holdout_mse.assign(mse.data_ptr<float>(), mse.data_ptr<float>() + e);
  std::vector<int64_t> ranked(e);
  std::iota(ranked.begin(), ranked.end(), 0);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](int64_t a, int64_t b) { return report.holdout_mse[a] < report.holdout_mse[b]; });
  elites_.assign(ranked.begin(), ranked.begin() + options_.elites);
  return report;
}

void ProbabilisticEnsemble::set_elites(const std::vector<int64_t>& elites) {
  bool fits = elites.size() == static_cast<size_t>(options_.elites);
  for (int64_t k : elites) fits = fits && k >= 0 && k < options_.members;
  if (!fits)
    throw Error("checkpoint: the ensemble's elites do not fit its " + std::to_string(options_.members) + " members");
  elites_ = elites;
}

torch::Tensor ProbabilisticEnsemble::sample(const torch::Tensor& x, const std::vector<int64_t>& members, Rng& rng,
                                            bool deterministic) {
  torch::NoGradGuard no_grad;
  const int64_t b = x.size(0), e = options_.members;
  if (static_cast<int64_t>(members.size()) != b) throw Error("ensemble: sample needs one member per row");
  if (b == 0) return torch::zeros({0, out_mean_.size(1)});
  // Each member predicts only its own rows, and only the members that have rows run
  // (PETS and MBPO use the elites alone): the rows grouped as [U, G, in] for the U
  // members in use, padded with row 0, so a pass costs one member's work per row.
  std::vector<int64_t> count(e, 0);
  for (int64_t m : members) {
    if (m < 0 || m >= e) throw Error("ensemble: member " + std::to_string(m) + " is out of range");
    ++count[m];
  }
  const int64_t g = std::max<int64_t>(1, *std::max_element(count.begin(), count.end()));
  std::vector<int64_t> used, group(e, -1);  // the members in use; each member's group among them
  for (int64_t m = 0; m < e; ++m)
    if (count[m] > 0) group[m] = static_cast<int64_t>(used.size()), used.push_back(m);
  const int64_t u = static_cast<int64_t>(used.size());
  std::vector<int64_t> grouped(u * g, 0), slot(b);
  std::fill(count.begin(), count.end(), 0);
  for (int64_t i = 0; i < b; ++i) {
    const int64_t at = group[members[i]] * g + count[members[i]]++;
    grouped[at] = i;
    slot[i] = at;
  }
  const torch::Tensor xg = x.index_select(0, torch::tensor(grouped, torch::kInt64)).view({u, g, x.size(1)});
  // With every member in use, the plain pass: no copies of the members' weights.
  auto [mean, logvar] = forward(xg, u == e ? torch::Tensor() : torch::tensor(used, torch::kInt64));
  const torch::Tensor where = torch::tensor(slot, torch::kInt64);
  const torch::Tensor mu = mean.reshape({u * g, -1}).index_select(0, where);
  if (deterministic) return mu;
  const torch::Tensor std = torch::exp(0.5 * logvar.reshape({u * g, -1}).index_select(0, where));
  return mu + std * normal_noise(rng, mu.sizes());
}

}  // namespace rlarena
