// Checkpoint parts: networks, optimizers, generators and the envs' episode logs put
// into a StateMap (saved as one HDF5 file by replay/state_file.h), so that a resumed
// run continues exactly where the saved one stopped.
#pragma once
#include <torch/torch.h>

#include <string>

#include "envs/core/rng.h"
#include "envs/core/vec_env.h"
#include "replay/state_map.h"

namespace rlarena {

// Parameters and buffers, in torch's own archive format.
void put_module(StateMap& state, const std::string& name, const torch::nn::Module& module);
void get_module(const StateMap& state, const std::string& name, torch::nn::Module& module);
// An optimizer's per-parameter state (Adam's moments and step counts) and options.
void put_optimizer(StateMap& state, const std::string& name, torch::optim::Optimizer& optimizer);
void get_optimizer(const StateMap& state, const std::string& name, torch::optim::Optimizer& optimizer);
// A tensor's values (e.g. a learned temperature); `into` keeps its shape and dtype.
void put_tensor(StateMap& state, const std::string& name, const torch::Tensor& tensor);
void get_tensor(const StateMap& state, const std::string& name, torch::Tensor& into);

void put_vec_env(StateMap& state, const std::string& name, const VecEnv& venv);
// Restores `venv` (same id, size and kwargs) and returns its batch of current observations.
const Batch& get_vec_env(const StateMap& state, const std::string& name, VecEnv& venv);

}  // namespace rlarena
