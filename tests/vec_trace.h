// vec_trace: every observation and reward of a sync VecEnv run under fixed actions,
// as bytes, so runs at different thread counts can be compared bit for bit.
#pragma once
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "envs/core/vec_env.h"

namespace rlarena::test {

// `fill(t, actions)` writes step t's [num_envs, action] bytes.
inline std::vector<uint8_t> vec_trace(const std::string& id, int64_t num_envs, uint64_t seed, int threads, int steps,
                                      const std::function<void(int, uint8_t*)>& fill) {
  VecEnv venv(id, num_envs, seed, threads);
  venv.reset();
  std::vector<uint8_t> actions(num_envs * venv.action_space().byte_size()), trace;
  for (int t = 0; t < steps; ++t) {
    fill(t, actions.data());
    const Batch& b = venv.step(actions.data());
    const auto* o = static_cast<const uint8_t*>(b.obs);
    trace.insert(trace.end(), o, o + b.size * b.obs_bytes);
    const auto* r = reinterpret_cast<const uint8_t*>(b.reward);
    trace.insert(trace.end(), r, r + b.size * sizeof(double));
  }
  return trace;
}

}  // namespace rlarena::test
