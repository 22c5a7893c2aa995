#include "agents/policy/evaluation.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "common/error.h"
#include "common/rng.h"
#include "envs/core/vec_env.h"

namespace rlarena {

namespace {

double mean_of(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); }

// Linear-interpolated percentile of sorted values (numpy's default).
double percentile(const std::vector<double>& sorted, double q) {
  const double pos = q * (sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

// Mean of the middle half: each sorted value weighs its overlap with [n/4, 3n/4].
double interquartile_mean(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const double n = static_cast<double>(v.size()), lo = n / 4, hi = 3 * n / 4;
  double sum = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const double w = std::max(0.0, std::min<double>(i + 1, hi) - std::max<double>(i, lo));
    sum += w * v[i];
  }
  return sum / (hi - lo);
}

}  // namespace

ReturnStats return_stats(const std::vector<double>& returns, uint64_t seed, int resamples) {
  ReturnStats s;
  s.episodes = static_cast<int64_t>(returns.size());
  if (returns.empty()) return s;
  s.mean = mean_of(returns);
  double sq = 0;
  for (double r : returns) sq += (r - s.mean) * (r - s.mean);
  s.std = std::sqrt(sq / returns.size());
  s.iqm = interquartile_mean(returns);
  s.min = *std::min_element(returns.begin(), returns.end());
  s.max = *std::max_element(returns.begin(), returns.end());
  Rng rng(seed);
  std::vector<double> means(resamples);
  for (auto& m : means) {
    double sum = 0;
    for (size_t i = 0; i < returns.size(); ++i) sum += returns[rng.below(returns.size())];
    m = sum / returns.size();
  }
  std::sort(means.begin(), means.end());
  s.ci_low = percentile(means, 0.025);
  s.ci_high = percentile(means, 0.975);
  return s;
}

EvalResult evaluate(Policy& policy, const std::string& env_id, const Kwargs& kwargs, int64_t episodes, uint64_t seed,
                    Acting acting, int64_t num_envs) {
  if (episodes < 1) throw Error("evaluation needs 1 or more episodes");
  VecEnv venv(env_id, std::min(num_envs, episodes), seed, 1, 0, kwargs);
  return evaluate(policy, venv, episodes, seed, acting);
}

EvalResult evaluate(Policy& policy, EnvBatch& batch, int64_t episodes, uint64_t seed, Acting acting) {
  if (episodes < 1) throw Error("evaluation needs 1 or more episodes");
  const int64_t n = batch.rows();
  check_policy_fits(policy, "the policy", batch.observation_space(), batch.action_space(), batch.env_id());
  std::vector<Env*> envs(n);
  for (int64_t i = 0; i < n; ++i) envs[i] = batch.row_env(i);
  // Row i runs episodes i, i + n, ...: the split is fixed, whatever finishes first.
  std::vector<int64_t> wanted(n), done(n, 0);
  for (int64_t i = 0; i < n; ++i) wanted[i] = episodes / n + (i < episodes % n ? 1 : 0);
  std::vector<std::vector<double>> returns(n);
  std::vector<std::vector<int64_t>> lengths(n);
  std::vector<uint8_t> actions(n * batch.action_space().byte_size());
  const Batch* b = &batch.reset();
  int64_t remaining = episodes;
  while (remaining > 0) {
    policy.act({b->obs, n, envs.data(), b->action_mask}, acting, actions.data());
    b = &batch.step(actions.data());
    for (int64_t i = 0; i < n; ++i) {
      if (!b->done(i) || done[i] >= wanted[i]) continue;
      returns[i].push_back(b->episode_return[i]);
      lengths[i].push_back(b->episode_length[i]);
      ++done[i], --remaining;
    }
  }
  EvalResult result;
  for (int64_t k = 0; k < episodes; ++k) {  // episode order: row 0's first, row 1's first, ...
    const int64_t i = k % n, j = k / n;
    result.returns.push_back(returns[i][j]);
    result.lengths.push_back(lengths[i][j]);
  }
  result.stats = return_stats(result.returns, seed);
  return result;
}

std::string eval_json(const EvalResult& r, const std::string& env_id, uint64_t seed, Acting acting,
                      int64_t global_step, const std::optional<ScoreRefs>& refs) {
  nlohmann::json j;
  j["env"] = env_id;
  j["global_step"] = global_step;
  j["seed"] = seed;
  j["deterministic"] = acting == Acting::Deterministic;
  j["episodes"] = r.stats.episodes;
  j["mean"] = r.stats.mean;
  j["std"] = r.stats.std;
  j["iqm"] = r.stats.iqm;
  j["ci95"] = {r.stats.ci_low, r.stats.ci_high};
  j["min"] = r.stats.min;
  j["max"] = r.stats.max;
  j["returns"] = r.returns;
  j["lengths"] = r.lengths;
  if (refs) {
    j["normalized_score"] = refs->normalized(r.stats.mean);
    j["ref_min_score"] = refs->min;
    j["ref_max_score"] = refs->max;
  }
  return j.dump(2) + "\n";
}

}  // namespace rlarena
