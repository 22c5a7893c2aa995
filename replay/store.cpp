#include "replay/store.h"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <limits>
#include <new>

#include "common/error.h"

namespace rlarena {

namespace {
size_t dtype_bytes(const ColumnSpec& spec) {
  size_t n = dtype_size(spec.dtype);
  for (int64_t d : spec.shape) n *= static_cast<size_t>(d);
  return n;
}
}  // namespace

ReplayStore::ReplayStore(const Space& observation_space, const Space& action_space, int64_t capacity,
                         std::vector<ColumnSpec> extras)
    : obs_space_(observation_space),
      act_space_(action_space),
      capacity_(capacity),
      obs_bytes_(observation_space.byte_size()),
      act_bytes_(action_space.byte_size()) {
  if (capacity < 2 || capacity > std::numeric_limits<int32_t>::max())
    throw Error("ReplayStore capacity " + std::to_string(capacity) + " is out of range; give 2 .. 2^31-1 rows");
  // Columns are allocated (and their pages touched) up front, so a full store costs
  // no surprise later and a too-large capacity fails now, with a message rather than
  // the kernel's OOM killer.
  size_t row_bytes = obs_bytes_ + act_bytes_ + sizeof(float) + 2 + sizeof(int64_t) + sizeof(int32_t);
  for (const auto& spec : extras) row_bytes += dtype_bytes(spec);
  const double needed = static_cast<double>(row_bytes) * capacity;
  const double memory = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE);
  const auto too_large = [&] {
    char what[160];
    std::snprintf(what, sizeof what, " needs %.1f GB, more than this machine's %.1f GB", needed / 1e9, memory / 1e9);
    return Error("a ReplayStore of " + std::to_string(capacity) + " steps of " + obs_space_.repr() + what +
                 "; give a smaller capacity (buffer_size in recipes)");
  };
  if (memory > 0 && needed > memory) throw too_large();
  try {
    obs_.assign(capacity * obs_bytes_, 0);
    act_.assign(capacity * act_bytes_, 0);
  } catch (const std::bad_alloc&) {
    throw too_large();
  }
  reward_.assign(capacity, 0.0f);
  terminated_.assign(capacity, 0);
  truncated_.assign(capacity, 0);
  episode_.assign(capacity, -1);
  link_.assign(capacity, 0);
  for (auto& spec : extras) {
    for (const auto& other : extras_)
      if (other.spec.name == spec.name) throw Error("ReplayStore: two extra columns named " + spec.name);
    Column c;
    c.row_bytes = dtype_bytes(spec);
    c.spec = std::move(spec);
    c.data.assign(capacity * c.row_bytes, 0);
    extras_.push_back(std::move(c));
  }
}

Column& ReplayStore::extra(const std::string& name) {
  for (auto& c : extras_)
    if (c.spec.name == name) return c;
  throw Error("ReplayStore has no column '" + name + "'; declare it when creating the store");
}

const Column& ReplayStore::extra(const std::string& name) const {
  return const_cast<ReplayStore*>(this)->extra(name);
}

void ReplayStore::save_state(StateMap& out, const std::string& p) const {
  put_state(out, p + "obs", obs_);
  put_state(out, p + "action", act_);
  put_state(out, p + "reward", reward_);
  put_state(out, p + "terminated", terminated_);
  put_state(out, p + "truncated", truncated_);
  put_state(out, p + "episode", episode_);
  put_state(out, p + "link", link_);
  for (const auto& c : extras_) put_state(out, p + "extra/" + c.spec.name, c.data);
  put_state(out, p + "final_pool", final_pool_);
  put_state(out, p + "free_slots", free_slots_);
  put_state(out, p + "counters", std::vector<int64_t>{head_, size_, closed_});
}

void ReplayStore::load_state(const StateMap& in, const std::string& p) {
  get_state_sized(in, p + "obs", obs_);
  get_state_sized(in, p + "action", act_);
  get_state_sized(in, p + "reward", reward_);
  get_state_sized(in, p + "terminated", terminated_);
  get_state_sized(in, p + "truncated", truncated_);
  get_state_sized(in, p + "episode", episode_);
  get_state_sized(in, p + "link", link_);
  for (auto& c : extras_) get_state_sized(in, p + "extra/" + c.spec.name, c.data);
  get_state(in, p + "final_pool", final_pool_);
  get_state(in, p + "free_slots", free_slots_);
  std::vector<int64_t> counters(3);
  get_state_sized(in, p + "counters", counters);
  head_ = counters[0], size_ = counters[1], closed_ = counters[2];
}

void ReplayStore::release(int64_t row) {
  if (link_[row] < 0) free_slots_.push_back(-link_[row] - 1);
  if (link_[row] != 0) --closed_;
  link_[row] = 0;
}

int64_t ReplayStore::open_rows(int64_t count, const void* obs, const int64_t* episode_ids) {
  if (count < 1 || count > capacity_)
    throw Error("ReplayStore: cannot open " + std::to_string(count) + " rows in a store of capacity " +
                std::to_string(capacity_) + "; give a capacity of at least twice the number of envs");
  const int64_t first = head_;
  const auto* src = static_cast<const uint8_t*>(obs);
  int64_t done = 0;
  while (done < count) {  // at most two pieces: up to the ring's end, then from its start
    const int64_t piece = std::min(count - done, capacity_ - head_);
    for (int64_t r = head_; r < head_ + piece; ++r) {
      if (r < size_ || size_ == capacity_) {
        if (link_[r] == 0)
          throw Error("ReplayStore: the oldest row is still waiting for its step (capacity " +
                      std::to_string(capacity_) + " is too small for the envs feeding it); give a larger capacity");
        release(r);
      }
      for (RowListener* l : listeners_) l->row_opened(r);
    }
    std::memcpy(obs_.data() + head_ * obs_bytes_, src + done * obs_bytes_, piece * obs_bytes_);
    std::memcpy(episode_.data() + head_, episode_ids + done, piece * sizeof(int64_t));
    done += piece;
    head_ = (head_ + piece) % capacity_;
  }
  size_ = std::min(capacity_, size_ + count);
  return first;
}

void ReplayStore::close_row(int64_t row, const void* action, float reward, bool terminated, bool truncated,
                            int64_t next_row, const void* final_obs) {
  if (link_[row] != 0) throw Error("ReplayStore: row " + std::to_string(row) + " is already closed");
  std::memcpy(act_.data() + row * act_bytes_, action, act_bytes_);
  reward_[row] = reward;
  terminated_[row] = terminated;
  truncated_[row] = truncated;
  if (next_row >= 0) {
    const int64_t delta = (next_row - row + capacity_) % capacity_;
    if (delta == 0) throw Error("ReplayStore: a row cannot be its own next step");
    link_[row] = static_cast<int32_t>(delta);
  } else {
    int32_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = static_cast<int32_t>(final_pool_.size() / std::max<size_t>(obs_bytes_, 1));
      final_pool_.resize(final_pool_.size() + obs_bytes_);
    }
    std::memcpy(final_pool_.data() + slot * obs_bytes_, final_obs, obs_bytes_);
    link_[row] = -(slot + 1);
  }
  ++closed_;
  for (RowListener* l : listeners_) l->row_closed(row);
}

const uint8_t* ReplayStore::next_obs(int64_t row) const {
  const int32_t link = link_[row];
  if (link > 0) return obs((row + link) % capacity_);
  if (link < 0) return final_pool_.data() + static_cast<size_t>(-link - 1) * obs_bytes_;
  throw Error("ReplayStore: row " + std::to_string(row) + " is still open (its step has not happened)");
}

std::vector<std::vector<int64_t>> ReplayStore::episodes() const {
  std::vector<uint8_t> has_previous(capacity_, 0);
  for (int64_t r = 0; r < capacity_; ++r)
    if (link_[r] > 0) has_previous[(r + link_[r]) % capacity_] = 1;
  std::vector<std::vector<int64_t>> runs;
  for (int64_t k = 0; k < size_; ++k) {
    int64_t r = (oldest() + k) % capacity_;
    if (has_previous[r] || link_[r] == 0) continue;
    std::vector<int64_t>& run = runs.emplace_back();
    for (;;) {  // follow the episode while its steps are closed
      run.push_back(r);
      if (link_[r] < 0) break;
      r = (r + link_[r]) % capacity_;
      if (link_[r] == 0) break;
    }
  }
  return runs;
}

std::vector<int64_t> ReplayStore::rows_by_episode() const {
  std::vector<int64_t> rows;
  rows.reserve(closed_);
  for (const auto& run : episodes()) rows.insert(rows.end(), run.begin(), run.end());
  return rows;
}

void ReplayStore::remove_listener(RowListener* listener) {
  listeners_.erase(std::remove(listeners_.begin(), listeners_.end(), listener), listeners_.end());
}

size_t ReplayStore::memory_bytes() const {
  size_t n = obs_.capacity() + act_.capacity() + reward_.capacity() * sizeof(float) + terminated_.capacity() +
             truncated_.capacity() + episode_.capacity() * sizeof(int64_t) + link_.capacity() * sizeof(int32_t) +
             final_pool_.capacity() + free_slots_.capacity() * sizeof(int32_t);
  for (const auto& c : extras_) n += c.data.capacity();
  return n;
}

int64_t copy_steps(const ReplayStore& from, ReplayStore& to, int64_t first_episode) {
  if (from.obs_bytes() != to.obs_bytes() || from.action_bytes() != to.action_bytes() ||
      from.observation_space().dtype() != to.observation_space().dtype() ||
      from.action_space().dtype() != to.action_space().dtype())
    throw Error("copy_steps: the stores' rows differ in layout");
  const auto episodes = from.episodes();
  int64_t id = first_episode;
  std::vector<int64_t> ids;
  for (const auto& run : episodes) {
    const auto t = static_cast<int64_t>(run.size());
    if (to.size() + t > to.capacity())
      throw Error("copy_steps: the store holds " + std::to_string(to.capacity()) + " steps; give it room for " +
                  std::to_string(to.size() + t));
    std::vector<uint8_t> obs(t * from.obs_bytes());
    for (int64_t i = 0; i < t; ++i) std::memcpy(obs.data() + i * from.obs_bytes(), from.obs(run[i]), from.obs_bytes());
    ids.assign(t, id++);
    const int64_t first = to.open_rows(t, obs.data(), ids.data());
    for (int64_t i = 0; i < t; ++i) {
      const int64_t row = (first + i) % to.capacity(), r = run[i];
      const bool last = i + 1 == t;
      // Within the run each step links to the next; the last keeps its next observation.
      to.close_row(row, from.action(r), from.reward(r), from.terminated(r), from.truncated(r),
                   last ? -1 : (first + i + 1) % to.capacity(), last ? from.next_obs(r) : nullptr);
    }
  }
  return static_cast<int64_t>(episodes.size());
}

}  // namespace rlarena
