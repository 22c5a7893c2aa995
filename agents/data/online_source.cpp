#include "agents/data/online_source.h"

#include "agents/data/env_batches.h"

namespace rlarena {

OnlineSource::OnlineSource(const Recipe& r) : venv_(make_env_batch(r)) {}

void OnlineSource::open(int64_t capacity, const ReplayStore* prefill) {
  store_ = std::make_unique<ReplayStore>(venv_->observation_space(), venv_->action_space(), capacity);
  const int64_t episodes = prefill ? copy_steps(*prefill, *store_) : 0;
  writer_ = std::make_unique<VecWriter>(*store_, num_envs(), episodes);
  venv_->record_episodes(true);
  current_ = &venv_->reset();
}

const Batch& OnlineSource::step(const void* actions, Report& report) {
  // The first observations join the store only now: until the envs step, sampling sees the
  // prefill alone, exactly as an offline run without an online phase does.
  if (!writer_->started(current_->env_ids[0])) writer_->reset(*current_);
  current_ = &venv_->step(actions);
  writer_->add(*current_, actions);
  const int64_t n = num_envs();
  global_step_ += env_steps_per_step();
  for (int64_t e = 0; e < n; ++e)
    if (current_->done(e))
      report.episode_returns.push_back(current_->episode_return[e]),
          report.episode_lengths.push_back(current_->episode_length[e]), report.episode_ends.push_back(global_step_);
  return *current_;
}

void OnlineSource::declare(Parts& parts) {
  parts.custom("envs/", [this](StateMap& s) { venv_->save_state(s, "envs/"); },
               [this](const StateMap& s) { current_ = &venv_->load_state(s, "envs/"); });
  parts.object("store/", *store_).object("writer/", *writer_).value("source/global_step", global_step_);
}

}  // namespace rlarena
