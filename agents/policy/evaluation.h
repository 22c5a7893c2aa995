// Evaluation: a policy's episodes on fresh envs, and the statistics reported for
// them: mean, std, interquartile mean (Agarwal et al. 2021) and a 95% bootstrap
// interval of the mean.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agents/common/policy.h"
#include "agents/common/score.h"
#include "envs/core/env_batch.h"
#include "envs/core/kwargs.h"

namespace rlarena {

struct ReturnStats {
  int64_t episodes = 0;
  double mean = 0, std = 0, iqm = 0, ci_low = 0, ci_high = 0, min = 0, max = 0;
};

// Mean and population std; the IQM is the mean of the middle half after sorting (a
// quarter trimmed from each end, with fractional weights at the cut, as rliable);
// the interval is the 2.5th and 97.5th percentiles of `resamples` bootstrap means
// drawn with `seed`.
ReturnStats return_stats(const std::vector<double>& returns, uint64_t seed = 0, int resamples = 10000);

struct EvalResult {
  std::vector<double> returns;
  std::vector<int64_t> lengths;
  ReturnStats stats;
};

// Runs `episodes` episodes of `env_id` (num_envs envs seeded seed + i; each env runs its
// share in turn, so the result does not depend on timing) with `policy`.
EvalResult evaluate(Policy& policy, const std::string& env_id, const Kwargs& kwargs, int64_t episodes, uint64_t seed,
                    Acting acting, int64_t num_envs = 8);
// The same on any rows (a multi-agent env's (env, agent) rows, self-play seats): row i
// runs episodes i, i + rows, ...; `batch` must not have been reset.
EvalResult evaluate(Policy& policy, EnvBatch& batch, int64_t episodes, uint64_t seed, Acting acting);

// eval.json: the returns, lengths and their statistics.
std::string eval_json(const EvalResult& result, const std::string& env_id, uint64_t seed, Acting acting,
                      int64_t global_step,
                      const std::optional<ScoreRefs>& refs = std::nullopt);

}  // namespace rlarena
