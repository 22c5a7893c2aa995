#include "replay/vec_writer.h"

#include "common/error.h"

namespace rlarena {

VecWriter::VecWriter(ReplayStore& store, int64_t num_envs, int64_t first_episode)
    : store_(store), pending_(num_envs, -1), episode_(num_envs, -1), new_episode_(num_envs), next_episode_(first_episode) {
  if (store.capacity() < 2 * num_envs)
    throw Error("ReplayStore capacity " + std::to_string(store.capacity()) + " is too small for " +
                std::to_string(num_envs) + " envs; give at least " + std::to_string(2 * num_envs));
}

void VecWriter::reset(const Batch& batch) {
  for (int64_t k = 0; k < batch.size; ++k) {
    const int64_t env = batch.env_ids[k];
    if (pending_.at(env) >= 0)
      throw Error("VecWriter: env " + std::to_string(env) + " was reset twice without a step");
    new_episode_[k] = episode_[env] = next_episode_++;
  }
  const int64_t first = store_.open_rows(batch.size, batch.obs, new_episode_.data());
  for (int64_t k = 0; k < batch.size; ++k) pending_[batch.env_ids[k]] = (first + k) % store_.capacity();
}

void VecWriter::add(const Batch& batch, const void* actions) {
  for (int64_t k = 0; k < batch.size; ++k) {
    const int64_t env = batch.env_ids[k];
    if (pending_.at(env) < 0)
      throw Error("VecWriter: env " + std::to_string(env) + " stepped before its reset was added");
    new_episode_[k] = batch.done(k) ? next_episode_++ : episode_[env];
  }
  // The observations after this step (the next episode's first where one ended).
  const int64_t first = store_.open_rows(batch.size, batch.obs, new_episode_.data());
  const auto* action = static_cast<const uint8_t*>(actions);
  const size_t action_bytes = store_.action_bytes();
  for (int64_t k = 0; k < batch.size; ++k) {
    const int64_t env = batch.env_ids[k];
    const int64_t row = (first + k) % store_.capacity();
    const bool done = batch.done(k);
    store_.close_row(pending_[env], action + k * action_bytes, static_cast<float>(batch.reward[k]),
                     batch.terminated[k], batch.truncated[k], done ? -1 : row,
                     done ? batch.final_obs_row<uint8_t>(k) : nullptr);
    pending_[env] = row;
    episode_[env] = new_episode_[k];
  }
}

void VecWriter::save_state(StateMap& out, const std::string& p) const {
  put_state(out, p + "pending", pending_);
  put_state(out, p + "episode", episode_);
  put_state(out, p + "next_episode", next_episode_);
}

void VecWriter::load_state(const StateMap& in, const std::string& p) {
  get_state_sized(in, p + "pending", pending_);
  get_state_sized(in, p + "episode", episode_);
  next_episode_ = get_state_value<int64_t>(in, p + "next_episode");
}

}  // namespace rlarena
