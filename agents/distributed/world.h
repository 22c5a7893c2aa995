// World: the processes (ranks) of one training job, joined as torchrun joins PyTorch's:
// LibTorch's c10d, a TCPStore served by rank 0 at MASTER_ADDR:MASTER_PORT and a
// ProcessGroupGloo over it. No networking code of our own. Collectives fail with an
// Error naming the timeout when a rank dies or hangs, instead of waiting forever.
#pragma once
#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rlarena {

struct WorldOptions {
  int rank = 0, size = 1, local_rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  std::chrono::milliseconds timeout{300000};
};

// torchrun's variables (WORLD_SIZE, RANK, LOCAL_RANK, MASTER_ADDR, MASTER_PORT) when
// WORLD_SIZE is set; an Error names a missing or malformed one.
std::optional<WorldOptions> world_from_env();

class World {
 public:
  // Joins the job: rank 0 serves the store. A port already in use, or a master that
  // cannot be reached within the timeout, is an Error naming it.
  explicit World(const WorldOptions& options);
  ~World();
  int rank() const { return options_.rank; }
  int size() const { return options_.size; }
  const WorldOptions& options() const { return options_; }

  // Averages the gradients of `params` over the ranks: one all-reduce of one flat
  // bucket holding them all (parameters without a gradient count as zeros).
  void average_gradients(const std::vector<torch::Tensor>& params);
  // Sums `t` (float32 or float64, contiguous) over the ranks, in place.
  void all_reduce_sum(torch::Tensor& t);
  // Texts through the job's store: rank 0 gets every rank's `mine` in rank order (the
  // others get an empty list); broadcast_text gives every rank rank 0's `text`.
  std::vector<std::string> gather_texts(const std::string& mine);
  std::string broadcast_text(const std::string& text);

  // Time spent: in gradient all-reduces (waiting included), and in the learners' whole
  // updates that contain them (loss, backward, all-reduce, optimizer step).
  struct Timing {
    int64_t all_reduces = 0, updates = 0;
    double all_reduce_s = 0, update_s = 0;
    int64_t bucket_floats = 0;  // the last gradient bucket's size
  };
  const Timing& timing() const { return timing_; }
  void add_update_time(double seconds) { timing_.update_s += seconds, ++timing_.updates; }

 private:
  Timing timing_;
  void wait(const std::string& what, const std::function<void()>& op);

  WorldOptions options_;
  int64_t exchanges_ = 0;  // names each text exchange's keys apart
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class RunningMeanStd;

// Merges running statistics (a normalizer's) over the ranks. Each rank's `stats` is
// `synced`, the state all ranks agreed on last (RunningMeanStd::state()), updated with
// data of its own; afterwards every rank holds `synced` updated with all ranks' data,
// and `synced` is that new state. One all-reduce of counts, sums and sums of squares.
void merge_statistics(World& world, RunningMeanStd& stats, std::vector<double>& synced);

// The job's world while a distributed run trains (null otherwise): learners average
// their gradients through it, data sources offset their seeds by it. Set by
// `rlarena train` for the run's duration (as torch.distributed's default group).
World* current_world();
void set_current_world(World* world);
// A TCP port on 127.0.0.1 that nothing listens on now (for a job of local ranks).
int free_local_port();

// Averages the gradients of every parameter `optimizer` steps over the job's ranks
// (World::average_gradients); nothing without a job.
void average_gradients_over_ranks(torch::optim::Optimizer& optimizer);
// A generator seed of this rank's own: `seed` on rank 0 (and without a job), apart on the others.
uint64_t rank_seed(uint64_t seed);

// This process's rank and the job's size: 0 and 1 without a world.
int world_rank();
int world_size();

}  // namespace rlarena
