#include "agents/common/normalizers.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"

namespace rlarena {

RunningMeanStd::RunningMeanStd(int64_t dim) : mean_(dim, 0.0), var_(dim, 1.0) {}

void RunningMeanStd::update(const float* batch, int64_t rows) {
  if (rows == 0) return;
  const size_t dim = mean_.size();
  std::vector<double> bmean(dim, 0.0), bvar(dim, 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (size_t d = 0; d < dim; ++d) bmean[d] += batch[r * dim + d];
  for (double& m : bmean) m /= static_cast<double>(rows);
  for (int64_t r = 0; r < rows; ++r)
    for (size_t d = 0; d < dim; ++d) {
      const double x = batch[r * dim + d] - bmean[d];
      bvar[d] += x * x;
    }
  for (double& v : bvar) v /= static_cast<double>(rows);
  const double n = static_cast<double>(rows), total = count_ + n;
  for (size_t d = 0; d < dim; ++d) {
    const double delta = bmean[d] - mean_[d];
    const double m2 = var_[d] * count_ + bvar[d] * n + delta * delta * count_ * n / total;
    mean_[d] += delta * n / total;
    var_[d] = m2 / total;
  }
  count_ = total;
}

std::vector<double> RunningMeanStd::state() const {
  std::vector<double> s = mean_;
  s.insert(s.end(), var_.begin(), var_.end());
  s.push_back(count_);
  return s;
}

void RunningMeanStd::set_state(const std::vector<double>& s) {
  const size_t dim = mean_.size();
  if (s.size() != 2 * dim + 1)
    throw Error("normalizer state has " + std::to_string(s.size()) + " values; expected " +
                std::to_string(2 * dim + 1));
  std::copy(s.begin(), s.begin() + dim, mean_.begin());
  std::copy(s.begin() + dim, s.begin() + 2 * dim, var_.begin());
  count_ = s.back();
}

ObservationNormalizer::ObservationNormalizer(int64_t dim, double clip, double epsilon)
    : rms_(dim), clip_(clip), epsilon_(epsilon) {}

void ObservationNormalizer::normalize(float* obs, int64_t rows, Statistics statistics) {
  if (statistics == Statistics::Update) rms_.update(obs, rows);
  const size_t dim = rms_.mean().size();
  for (int64_t r = 0; r < rows; ++r)
    for (size_t d = 0; d < dim; ++d) {
      const double z = (obs[r * dim + d] - rms_.mean()[d]) / std::sqrt(rms_.var()[d] + epsilon_);
      obs[r * dim + d] = static_cast<float>(std::clamp(z, -clip_, clip_));
    }
}

RewardNormalizer::RewardNormalizer(int64_t envs, double gamma, double epsilon)
    : rms_(1), returns_(envs, 0.0), gamma_(gamma), epsilon_(epsilon) {}

void RewardNormalizer::normalize(double* rewards, const uint8_t* terminated, Statistics statistics) {
  const size_t n = returns_.size();
  std::vector<float> batch(n);
  for (size_t i = 0; i < n; ++i) {
    returns_[i] = returns_[i] * gamma_ * (terminated[i] ? 0.0 : 1.0) + rewards[i];
    batch[i] = static_cast<float>(returns_[i]);
  }
  if (statistics == Statistics::Update) rms_.update(batch.data(), static_cast<int64_t>(n));
  const double scale = std::sqrt(rms_.var()[0] + epsilon_);
  for (size_t i = 0; i < n; ++i) rewards[i] /= scale;
}

}  // namespace rlarena
