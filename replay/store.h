// ReplayStore: the one columnar, preallocated ring of transitions that every agent
// reads and writes (DESIGN.md), and that datasets load into and export from.
// Each row holds one step: the observation it started from, the action, reward,
// terminated, truncated, episode id and any extra columns. The next observation is
// not stored again: it is the observation of the row holding the same episode's
// next step (a link), and only where there is no such row (the last step of an
// episode, i.e. VecEnv's final_obs) is it kept, in a small pool of final observations.
// A row is "open" from the moment its observation is written until its step is
// closed; samplers only see closed rows.
#pragma once
#include <cstdint>
#include <algorithm>
#include <string>
#include <vector>

#include "envs/core/space.h"
#include "common/state_map.h"

namespace rlarena {

// An optional per-row column beyond the fixed ones (log-probs, values, infos...).
struct ColumnSpec {
  std::string name;
  DType dtype = DType::Float32;
  std::vector<int64_t> shape;  // per row; {} is a scalar
};

struct Column {
  ColumnSpec spec;
  size_t row_bytes = 0;
  std::vector<uint8_t> data;  // [capacity, row_bytes]
  uint8_t* row(int64_t r) { return data.data() + r * row_bytes; }
  const uint8_t* row(int64_t r) const { return data.data() + r * row_bytes; }
};

// Told when rows open and close (e.g. a prioritized sampler's sum tree).
class RowListener {
 public:
  virtual ~RowListener() = default;
  virtual void row_opened(int64_t row) = 0;
  virtual void row_closed(int64_t row) = 0;
};

class ReplayStore {
 public:
  ReplayStore(const Space& observation_space, const Space& action_space, int64_t capacity,
              std::vector<ColumnSpec> extras = {});

  const Space& observation_space() const { return obs_space_; }
  const Space& action_space() const { return act_space_; }
  int64_t capacity() const { return capacity_; }
  int64_t size() const { return size_; }          // rows written and not yet overwritten
  int64_t closed() const { return closed_; }      // of those, closed steps (sampleable)
  int64_t head() const { return head_; }          // the row the next open_rows starts at
  size_t obs_bytes() const { return obs_bytes_; }
  size_t action_bytes() const { return act_bytes_; }

  // --- Writing (a VecWriter or a dataset importer drives these).
  // Opens `count` rows (oldest overwritten first) with observations [count, obs];
  // returns the first row (rows wrap around the ring).
  int64_t open_rows(int64_t count, const void* obs, const int64_t* episode_ids);
  // Closes an open row. Its next observation is that of `next_row` (an open or
  // closed row of the same episode's next step), or, with next_row = -1, `final_obs`.
  void close_row(int64_t row, const void* action, float reward, bool terminated, bool truncated,
                 int64_t next_row, const void* final_obs);
  Column& extra(const std::string& name);
  const Column& extra(const std::string& name) const;
  const std::vector<Column>& extras() const { return extras_; }
  void add_listener(RowListener* listener) { listeners_.push_back(listener); }
  void remove_listener(RowListener* listener);

  // --- Reading.
  bool is_closed(int64_t row) const { return link_[row] != 0; }
  // The row of the same episode's next step, or -1 where the next observation is a
  // kept final observation.
  int64_t next_row(int64_t row) const {
    return link_[row] > 0 ? (row + link_[row]) % capacity_ : -1;
  }
  const uint8_t* obs(int64_t row) const { return obs_.data() + row * obs_bytes_; }
  const uint8_t* next_obs(int64_t row) const;
  const uint8_t* action(int64_t row) const { return act_.data() + row * act_bytes_; }
  float reward(int64_t row) const { return reward_[row]; }
  bool terminated(int64_t row) const { return terminated_[row] != 0; }
  bool truncated(int64_t row) const { return truncated_[row] != 0; }
  int64_t episode(int64_t row) const { return episode_[row]; }
  // Rows from oldest to newest.
  int64_t oldest() const { return (head_ - size_ + capacity_) % capacity_; }
  // The stored episodes as runs of closed rows, each run's steps in order, runs by
  // their first stored step. A run ends at an episode's last step (next_row < 0) or
  // where the next step has not happened yet (a running episode).
  std::vector<std::vector<int64_t>> episodes() const;
  // The same rows flattened: the order of dataset files, where rows of interleaved
  // envs would otherwise alternate.
  std::vector<int64_t> rows_by_episode() const;

  // Every column, link and counter under `prefix`, for checkpoints; load_state needs a
  // store made with the same spaces, capacity and extra columns.
  void save_state(StateMap& out, const std::string& prefix) const;
  void load_state(const StateMap& in, const std::string& prefix);

  // Bytes held by the columns, links and final observations (for the memory figure).
  size_t memory_bytes() const;

 private:
  void release(int64_t row);  // before a row is overwritten

  Space obs_space_, act_space_;
  int64_t capacity_;
  size_t obs_bytes_, act_bytes_;
  std::vector<uint8_t> obs_, act_;
  std::vector<float> reward_;
  std::vector<uint8_t> terminated_, truncated_;
  std::vector<int64_t> episode_;
  // 0: open; > 0: distance to the next step's row; < 0: -(final pool slot + 1).
  std::vector<int32_t> link_;
  std::vector<Column> extras_;
  // Final observations, in slots reused once their row is overwritten.
  std::vector<uint8_t> final_pool_;
  std::vector<int32_t> free_slots_;
  int64_t head_ = 0, size_ = 0, closed_ = 0;
  std::vector<RowListener*> listeners_;
};

// Appends every closed step of `from` to `to` (same row layout, no extra columns), episode by
// episode, each keeping its next observations; episode ids follow those `to` holds.
// Returns how many episodes were copied. (An offline run that goes on online starts
// from its dataset in a store with room for the online steps.)
int64_t copy_steps(const ReplayStore& from, ReplayStore& to, int64_t first_episode = 0);

}  // namespace rlarena
