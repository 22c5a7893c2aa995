#include "agents/common/checkpoint.h"

#include <sstream>

namespace rlarena {

void put_module(StateMap& state, const std::string& name, const torch::nn::Module& module) {
  torch::serialize::OutputArchive archive;
  module.save(archive);
  std::ostringstream out;
  archive.save_to(out);
  put_text(state, name, out.str());
}

void get_module(const StateMap& state, const std::string& name, torch::nn::Module& module) {
  std::istringstream in(get_text(state, name));
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(in);
    module.load(archive);
  } catch (const c10::Error& e) {
    throw Error("checkpoint: '" + name + "' does not fit this recipe's network (" + e.what_without_backtrace() +
                "); resume with the recipe the run was started with");
  }
}

void put_optimizer(StateMap& state, const std::string& name, torch::optim::Optimizer& optimizer) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  std::ostringstream out;
  archive.save_to(out);
  put_text(state, name, out.str());
}

void get_optimizer(const StateMap& state, const std::string& name, torch::optim::Optimizer& optimizer) {
  std::istringstream in(get_text(state, name));
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(in);
    optimizer.load(archive);
  } catch (const c10::Error& e) {
    throw Error("checkpoint: optimizer '" + name + "' does not fit (" + e.what_without_backtrace() + ")");
  }
}

void put_tensor(StateMap& state, const std::string& name, const torch::Tensor& tensor) {
  const torch::Tensor t = tensor.detach().contiguous();
  const auto* p = static_cast<const uint8_t*>(t.data_ptr());
  state[name].assign(p, p + t.numel() * t.element_size());
}

void get_tensor(const StateMap& state, const std::string& name, torch::Tensor& into) {
  std::vector<uint8_t> bytes;
  get_state(state, name, bytes);
  if (bytes.size() != static_cast<size_t>(into.numel() * into.element_size()))
    throw Error("checkpoint: '" + name + "' has the wrong size (was the recipe changed since the checkpoint?)");
  torch::NoGradGuard no_grad;
  into.copy_(torch::from_blob(bytes.data(), into.sizes(), into.scalar_type()));
}

void put_vec_env(StateMap& state, const std::string& name, const VecEnv& venv) {
  const VecEnv::Snapshot snap = venv.snapshot();
  put_state(state, name + "/seeded_once", static_cast<uint8_t>(snap.seeded_once));
  for (size_t i = 0; i < snap.episodes.size(); ++i) {
    put_state(state, name + "/rng_" + std::to_string(i), snap.episodes[i].rng);
    put_state(state, name + "/actions_" + std::to_string(i), snap.episodes[i].actions);
  }
}

const Batch& get_vec_env(const StateMap& state, const std::string& name, VecEnv& venv) {
  VecEnv::Snapshot snap;
  snap.seeded_once = get_state_value<uint8_t>(state, name + "/seeded_once") != 0;
  snap.episodes.resize(venv.num_envs());
  for (int64_t i = 0; i < venv.num_envs(); ++i) {
    snap.episodes[i].rng = get_state_value<Rng::State>(state, name + "/rng_" + std::to_string(i));
    get_state(state, name + "/actions_" + std::to_string(i), snap.episodes[i].actions);
  }
  return venv.restore(snap);
}

}  // namespace rlarena
