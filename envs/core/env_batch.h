// EnvBatch: rows of independent episode streams in one observation and action space,
// stepped together into a Batch. A VecEnv is one (a row per env); a MultiAgentVecEnv
// another (a row per env and agent); a self-play batch a third (agents/selfplay: the
// learner's seat of each game, the other seats played inside). Data sources and
// evaluation step any of them the same way.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "common/state_map.h"
#include "envs/core/batch.h"
#include "envs/core/space.h"

namespace rlarena {

class Env;

class EnvBatch {
 public:
  virtual ~EnvBatch() = default;
  virtual const std::string& env_id() const = 0;
  virtual const Space& observation_space() const = 0;
  virtual const Space& action_space() const = 0;
  virtual int64_t rows() const = 0;
  // Env steps one step() makes: run budgets count env steps, not agent rows.
  virtual int64_t env_steps_per_step() const = 0;
  // The first reset seeds env i with seed + i; later ones without a seed continue.
  virtual const Batch& reset(std::optional<uint64_t> seed = std::nullopt) = 0;
  // `actions` is [rows, action] in the action space's dtype.
  virtual const Batch& step(const void* actions) = 0;
  // Checkpoints: with recording on, save_state holds what load_state needs to bring a
  // batch of the same id, size and options to this one's state.
  virtual void record_episodes(bool on) = 0;
  virtual void save_state(StateMap& out, const std::string& prefix) const = 0;
  virtual const Batch& load_state(const StateMap& in, const std::string& prefix) = 0;
  // The single-agent env behind a row, for players that read an env's own state (the
  // env's scripted controller); null where rows are not single-agent envs.
  virtual Env* row_env(int64_t) { return nullptr; }
};

}  // namespace rlarena
