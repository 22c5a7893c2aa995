// BatchTensors: a VecEnv batch seen as torch tensors over the batch's own memory
// (torch::from_blob, no copy); valid as long as the batch is.
#pragma once
#include <torch/types.h>

#include "envs/core/batch.h"
#include "envs/core/space.h"

namespace rlarena {

struct BatchTensors {
  torch::Tensor env_ids;         // [B] int64
  torch::Tensor obs;             // [B, *obs_shape] float32 or uint8
  torch::Tensor final_obs;       // [B, *obs_shape], rows valid where done
  torch::Tensor reward;          // [B] float64
  torch::Tensor terminated;      // [B] bool
  torch::Tensor truncated;       // [B] bool
  torch::Tensor episode_return;  // [B] float64
  torch::Tensor episode_length;  // [B] int64
  torch::Tensor info;            // [B, num_info] float64
};

torch::ScalarType torch_dtype(DType d);
BatchTensors as_tensors(const Batch& batch, const Space& observation_space);

}  // namespace rlarena
