// OnlineSource: the online data source. The rows of the recipe's env (a VecEnv of N
// envs, seeds s + i, or a multi-agent env's rows: agents/data/env_batches.h) are
// stepped together and every transition goes into a ReplayStore through a VecWriter;
// finished episodes are reported. Truncated steps keep their true next observation
// (final_obs) and are not terminal.
#pragma once
#include <cstdint>
#include <memory>

#include "agents/common/parts.h"
#include "agents/common/recipe.h"
#include "agents/common/report.h"
#include "agents/distributed/world.h"
#include "envs/core/env_batch.h"
#include "replay/vec_writer.h"

namespace rlarena {

class OnlineSource {
 public:
  // Recipe keys: env, kwarg, seed, num_envs, env_threads. Makes the envs; open() makes
  // the store, once the learner has accepted the envs' spaces.
  explicit OnlineSource(const Recipe& recipe);
  // A store of `capacity` steps, and the envs reset (their first observations go into the
  // store at the first step()). With `prefill`, the store starts with its steps (an offline
  // run going on online: its dataset).
  void open(int64_t capacity, const ReplayStore* prefill = nullptr);

  const Space& observation_space() const { return venv_->observation_space(); }
  const Space& action_space() const { return venv_->action_space(); }
  // Rows stepped together (envs, or env x agent rows).
  int64_t num_envs() const { return venv_->rows(); }
  // Env steps one step() makes (the envs, not agent rows): in a distributed job, every
  // rank's (the ranks step in lockstep), so budgets and schedules count the job's steps.
  int64_t env_steps_per_step() const { return venv_->env_steps_per_step() * world_size(); }
  int64_t global_step() const { return global_step_; }
  ReplayStore& store() { return *store_; }
  EnvBatch& batch() { return *venv_; }
  const ReplayStore& store() const { return *store_; }

  // The envs' current observations (after reset, then after each step).
  const Batch& current() const { return *current_; }
  // Steps every env with `actions` ([N, action], env dtype), stores the transitions
  // and records finished episodes in `report`.
  const Batch& step(const void* actions, Report& report);

  // Envs, store, writer and the step count, under "envs/", "store/", "writer/", "source/".
  void declare(Parts& parts);

 private:
  std::unique_ptr<EnvBatch> venv_;
  std::unique_ptr<ReplayStore> store_;
  std::unique_ptr<VecWriter> writer_;
  const Batch* current_ = nullptr;
  int64_t global_step_ = 0;
};

}  // namespace rlarena
