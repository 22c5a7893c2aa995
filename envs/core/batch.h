// Batch: one step's results for a set of envs, as contiguous [rows, ...] arrays
// (EnvPool/Gymnasium vector layout) that trainers wrap as tensors without copying.
// BatchBuffers owns such arrays.
#pragma once
#include <cstdint>
#include <cstring>
#include <vector>

#include "envs/core/space.h"

namespace rlarena {

struct Batch {
  int64_t size = 0;               // rows
  const int64_t* env_ids = nullptr;  // [size] which env each row is
  const void* obs = nullptr;      // [size, obs]: after this step; a new episode's first where done
  const void* final_obs = nullptr;  // [size, obs]: last obs of the finished episode, valid where done
  const double* reward = nullptr;   // [size]
  const uint8_t* terminated = nullptr;  // [size] 0/1: true terminal state
  const uint8_t* truncated = nullptr;   // [size] 0/1: time limit
  // Return and length of the episode this step belongs to, including this step;
  // where done, those of the finished episode (trainers log them as-is).
  const double* episode_return = nullptr;  // [size]
  const int64_t* episode_length = nullptr;  // [size]
  const double* info = nullptr;  // [size, num_info]
  int64_t num_info = 0;
  size_t obs_bytes = 0;  // bytes of one observation row
  // Legal Discrete actions of each row's next move, [size, mask_width] 0/1 (turn-based
  // games); null where every action is always legal.
  const uint8_t* action_mask = nullptr;
  int64_t mask_width = 0;

  bool done(int64_t row) const { return terminated[row] || truncated[row]; }
  template <typename T>
  const T* obs_row(int64_t row) const {
    return reinterpret_cast<const T*>(static_cast<const uint8_t*>(obs) + row * obs_bytes);
  }
  template <typename T>
  const T* final_obs_row(int64_t row) const {
    return reinterpret_cast<const T*>(static_cast<const uint8_t*>(final_obs) + row * obs_bytes);
  }
};

struct BatchBuffers {
  std::vector<int64_t> env_ids;
  std::vector<uint8_t> obs, final_obs;
  std::vector<double> reward;
  std::vector<uint8_t> terminated, truncated;
  std::vector<double> episode_return;
  std::vector<int64_t> episode_length;
  std::vector<double> info;
  size_t obs_bytes = 0;
  int64_t num_info = 0;

  void allocate(int64_t rows, size_t obs_row_bytes, int64_t info_per_row) {
    obs_bytes = obs_row_bytes;
    num_info = info_per_row;
    env_ids.assign(rows, 0);
    obs.assign(rows * obs_bytes, 0);
    final_obs.assign(rows * obs_bytes, 0);
    reward.assign(rows, 0);
    terminated.assign(rows, 0);
    truncated.assign(rows, 0);
    episode_return.assign(rows, 0);
    episode_length.assign(rows, 0);
    info.assign(rows * num_info, 0);
  }
  uint8_t* obs_row(int64_t row) { return obs.data() + row * obs_bytes; }
  uint8_t* final_obs_row(int64_t row) { return final_obs.data() + row * obs_bytes; }
  double* info_row(int64_t row) { return info.data() + row * num_info; }

  void copy_row(const BatchBuffers& src, int64_t from, int64_t to) {
    env_ids[to] = src.env_ids[from];
    std::memcpy(obs_row(to), src.obs.data() + from * obs_bytes, obs_bytes);
    if (src.terminated[from] || src.truncated[from])
      std::memcpy(final_obs_row(to), src.final_obs.data() + from * obs_bytes, obs_bytes);
    reward[to] = src.reward[from];
    terminated[to] = src.terminated[from];
    truncated[to] = src.truncated[from];
    episode_return[to] = src.episode_return[from];
    episode_length[to] = src.episode_length[from];
    if (num_info > 0)  // memcpy from an empty vector's null data() is undefined, even for 0 bytes
      std::memcpy(info_row(to), src.info.data() + from * num_info, num_info * sizeof(double));
  }

  Batch view(int64_t rows) const {
    Batch b;
    b.size = rows;
    b.env_ids = env_ids.data();
    b.obs = obs.data();
    b.final_obs = final_obs.data();
    b.reward = reward.data();
    b.terminated = terminated.data();
    b.truncated = truncated.data();
    b.episode_return = episode_return.data();
    b.episode_length = episode_length.data();
    b.info = info.data();
    b.num_info = num_info;
    b.obs_bytes = obs_bytes;
    return b;
  }
};

}  // namespace rlarena
