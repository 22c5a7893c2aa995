// VecWriter: fills a ReplayStore straight from VecEnv batches (sync or async): the
// batch's observations go in as one block, each env's previous row is closed with
// its action, reward and flags, and a finished episode's final_obs is kept as the
// next observation of its last step.
#pragma once
#include <cstdint>
#include <vector>

#include "envs/core/batch.h"
#include "replay/store.h"

namespace rlarena {

class VecWriter {
 public:
  // Episode ids count from `first_episode` (after those of steps already in the store).
  VecWriter(ReplayStore& store, int64_t num_envs, int64_t first_episode = 0);

  // A batch of first observations (VecEnv::reset, or an async recv of resets).
  void reset(const Batch& batch);
  // Whether env's first observation is in the store (reset() has added it).
  bool started(int64_t env) const { return pending_.at(env) >= 0; }
  // A step's batch and the actions that produced it, [batch.size, action] in the
  // batch's row order.
  void add(const Batch& batch, const void* actions);
  int64_t episodes() const { return next_episode_; }
  // Open rows and episode counters, for checkpoints (with the store's own state).
  void save_state(StateMap& out, const std::string& prefix) const;
  void load_state(const StateMap& in, const std::string& prefix);

 private:
  ReplayStore& store_;
  std::vector<int64_t> pending_;  // each env's open row; -1 before its first reset
  std::vector<int64_t> episode_;  // each env's current episode id
  std::vector<int64_t> new_episode_;  // scratch: episode id of each batch row's new row
  int64_t next_episode_ = 0;
};

}  // namespace rlarena
