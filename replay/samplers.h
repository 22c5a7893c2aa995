// Samplers: read a ReplayStore into caller-owned contiguous buffers (which agents
// wrap as tensors without copying). Kept apart from the store and its writers, as
// in TorchRL: uniform transitions, how the last on-policy segment [T, N] ended,
// prioritized transitions (sum tree, alpha/beta), and sub-trajectories of length L
// that never cross an episode boundary. Same seed, same samples.
#pragma once
#include <cstdint>
#include <vector>

#include "common/rng.h"
#include "replay/store.h"
#include "replay/sum_tree.h"

namespace rlarena {

// Transitions, [size, ...] each (trajectories: [batch, length, ...] flattened).
struct SampleBatch {
  int64_t size = 0;
  std::vector<uint8_t> obs, next_obs, action;
  std::vector<float> reward;
  std::vector<uint8_t> terminated, truncated;
  std::vector<int64_t> rows;     // the store rows sampled
  std::vector<double> weights;   // importance weights (prioritized), else empty

  // Sizes the buffers for `size` transitions of `store` (no allocation when they fit).
  void resize(const ReplayStore& store, int64_t size);
};

// Copies the transitions at `rows` into `out` (resized to count).
void gather(const ReplayStore& store, const int64_t* rows, int64_t count, SampleBatch& out);

// Rows counted from the store's oldest: [begin, end), end -1 for up to the newest. An
// offline-to-online run keeps its dataset at the front and its online steps behind it.
struct RowSpan {
  int64_t begin = 0, end = -1;
};

class UniformSampler {
 public:
  explicit UniformSampler(uint64_t seed) : rng_(seed) {}
  // `batch` closed rows of `span`, uniformly with replacement.
  void sample(const ReplayStore& store, int64_t batch, SampleBatch& out, RowSpan span = {});
  Rng& rng() { return rng_; }

 private:
  Rng rng_;
  std::vector<int64_t> rows_;
};

// How the last T steps of N envs written by a sync VecWriter ended, in order: what
// an on-policy rollout needs back from the store besides its own copy of what the
// policy saw (normalized observations, sampled actions, scaled rewards).
struct SegmentEnds {
  int64_t steps = 0, envs = 0;
  std::vector<uint8_t> terminated, truncated;  // [T, N]
  std::vector<uint8_t> final_obs;  // [T, N, obs]: the episode's last observation where it ended
};
void last_segment_ends(const ReplayStore& store, int64_t steps, int64_t envs, SegmentEnds& out);

// Proportional prioritized replay: P(i) = p_i^alpha / sum_k p_k^alpha, weights
// (n P(i))^-beta / max_j (n P(j))^-beta over all n closed rows. New rows get the
// largest priority seen so far.
class PrioritizedSampler final : public RowListener {
 public:
  PrioritizedSampler(ReplayStore& store, double alpha, uint64_t seed, double epsilon = 1e-6);
  ~PrioritizedSampler() override;
  void sample(int64_t batch, double beta, SampleBatch& out);
  // New priorities (e.g. |TD error|) for rows a sample returned.
  void update(const int64_t* rows, const double* priorities, int64_t count);
  double probability(int64_t row) const { return tree_.get(row) / tree_.total(); }

  // Priorities, the largest one and the generator, for checkpoints.
  void save_state(StateMap& out, const std::string& prefix) const;
  void load_state(const StateMap& in, const std::string& prefix);

  void row_opened(int64_t row) override { tree_.set(row, 0.0); }
  void row_closed(int64_t row) override { tree_.set(row, max_priority_); }

 private:
  ReplayStore& store_;
  double alpha_, epsilon_;
  Rng rng_;
  SumTree tree_;
  double max_priority_ = 1.0;  // already raised to alpha
  std::vector<int64_t> rows_;
};

class TrajectorySampler {
 public:
  explicit TrajectorySampler(uint64_t seed) : rng_(seed) {}
  // `batch` runs of `length` consecutive steps of one episode each; the episode may
  // end on a run's last step, not before. out is [batch, length] flattened.
  void sample(const ReplayStore& store, int64_t batch, int64_t length, SampleBatch& out);

 private:
  Rng rng_;
  std::vector<int64_t> rows_;
};

}  // namespace rlarena
