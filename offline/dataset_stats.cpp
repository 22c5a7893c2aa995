#include "offline/dataset_stats.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace rlarena {

void DatasetStats::fit(const ReplayStore& data, bool states, bool rewards) {
  const int64_t dim = mean.size(0);
  if (states) {
    // Over the observations of the stored steps, in double: a million rows of float32 sums lose digits.
    std::vector<double> sum(dim, 0.0), sq(dim, 0.0);
    int64_t n = 0;
    std::vector<float> row(dim);
    for (int64_t r : data.rows_by_episode()) {
      std::memcpy(row.data(), data.obs(r), dim * sizeof(float));
      for (int64_t i = 0; i < dim; ++i) sum[i] += row[i], sq[i] += static_cast<double>(row[i]) * row[i];
      ++n;
    }
    for (int64_t i = 0; i < dim; ++i) {
      const double m = sum[i] / std::max<int64_t>(n, 1);
      mean[i] = m;
      std[i] = std::sqrt(std::max(0.0, sq[i] / std::max<int64_t>(n, 1) - m * m)) + 1e-3;
    }
  }
  if (rewards) {
    double lo = 1e300, hi = -1e300;
    for (const auto& episode : data.episodes()) {
      double ret = 0;
      for (int64_t r : episode) ret += data.reward(r);
      lo = std::min(lo, ret), hi = std::max(hi, ret);
    }
    if (hi > lo) reward_scale.fill_(1000.0 / (hi - lo));
  }
}

Minibatch DatasetStats::apply(const Minibatch& batch) const {
  Minibatch b = batch;
  b.obs = normalize(batch.obs);
  b.next_obs = normalize(batch.next_obs);
  b.rewards = batch.rewards * reward_scale;
  return b;
}

void DatasetStats::declare(Parts& parts, const std::string& prefix) {
  parts.tensor(prefix + "/obs_mean", mean).tensor(prefix + "/obs_std", std).tensor(prefix + "/reward_scale", reward_scale);
}

}  // namespace rlarena
