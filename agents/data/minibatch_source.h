// Minibatch sources: where a learner's transitions come from. StoreSampler draws
// them from one ReplayStore (an online run's, one loaded from a dataset file, or one
// of model rollouts), uniformly or by priority; MixedSource draws a fixed share from
// each of two sources (MBPO's real_ratio of real to model data).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>

#include "agents/common/learner.h"
#include "agents/common/parts.h"
#include "replay/samplers.h"

namespace rlarena {

// Every closed step of `store`, in row order (a dynamics model's training set); the
// tensors own their memory.
Minibatch all_transitions(const ReplayStore& store);

class MinibatchSource {
 public:
  virtual ~MinibatchSource() = default;
  // `batch` transitions. `progress` in [0, 1] is how far the run is (prioritized replay
  // anneals its importance exponent with it). The tensors stay valid until the next call.
  virtual Minibatch sample(int64_t batch, double progress) = 0;
  virtual void declare(Parts& parts) = 0;
};

struct SamplerOptions {
  uint64_t seed = 0;
  bool prioritized = false;  // Schaul et al. 2016, proportional
  double alpha = 0.6;        // priority exponent
  double beta = 0.4;         // initial importance-weight exponent, annealed to 1 over the run
  RowSpan rows;              // the rows drawn from (uniform only): all by default
};

class StoreSampler final : public MinibatchSource {
 public:
  // `name` prefixes the sampler's state in checkpoints (two samplers can share a run).
  StoreSampler(ReplayStore& store, const SamplerOptions& options, std::string name = "sampler");
  Minibatch sample(int64_t batch, double progress) override;
  bool prioritized() const { return per_.has_value(); }
  // New priorities (|TD error| of each row) for the rows of the last sample.
  void update_priorities(const torch::Tensor& td_errors);
  void declare(Parts& parts) override;

 private:
  ReplayStore& store_;
  std::string name_;
  double beta0_;
  RowSpan rows_;
  std::optional<UniformSampler> uniform_;
  std::optional<PrioritizedSampler> per_;
  SampleBatch sample_;
};

class MixedSource final : public MinibatchSource {
 public:
  // round(first_share * batch) rows from `first`, the rest from `second`, in that order.
  MixedSource(MinibatchSource& first, MinibatchSource& second, double first_share);
  Minibatch sample(int64_t batch, double progress) override;
  void declare(Parts& parts) override;

 private:
  MinibatchSource &first_, &second_;
  double share_;
};

}  // namespace rlarena
