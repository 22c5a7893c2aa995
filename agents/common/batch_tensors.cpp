#include "agents/common/batch_tensors.h"

#include <torch/torch.h>

#include "envs/core/error.h"

namespace rlarena {

torch::ScalarType torch_dtype(DType d) {
  switch (d) {
    case DType::Float32: return torch::kFloat32;
    case DType::UInt8: return torch::kUInt8;
    case DType::Int8: return torch::kInt8;
    case DType::Int64: return torch::kInt64;
  }
  return torch::kFloat32;
}

namespace {
// from_blob wants non-const memory; these tensors are views the caller reads.
template <typename T>
void* mut(const T* p) {
  return const_cast<T*>(p);
}
}  // namespace

BatchTensors as_tensors(const Batch& batch, const Space& observation_space) {
  if (observation_space.is_composite())
    throw Error("as_tensors: observation space " + observation_space.repr() +
                " is composite; wrap each child's slice instead");
  if (observation_space.byte_size() != batch.obs_bytes)
    throw Error("as_tensors: the batch holds " + std::to_string(batch.obs_bytes) +
                "-byte observations but " + observation_space.repr() + " needs " +
                std::to_string(observation_space.byte_size()));
  const int64_t b = batch.size;
  std::vector<int64_t> obs_shape{b};
  for (int64_t d : observation_space.shape()) obs_shape.push_back(d);
  const auto obs_type = torch::TensorOptions().dtype(torch_dtype(observation_space.dtype()));
  BatchTensors t;
  t.env_ids = torch::from_blob(mut(batch.env_ids), {b}, torch::kInt64);
  t.obs = torch::from_blob(const_cast<void*>(batch.obs), obs_shape, obs_type);
  t.final_obs = torch::from_blob(const_cast<void*>(batch.final_obs), obs_shape, obs_type);
  t.reward = torch::from_blob(mut(batch.reward), {b}, torch::kFloat64);
  t.terminated = torch::from_blob(mut(batch.terminated), {b}, torch::kBool);
  t.truncated = torch::from_blob(mut(batch.truncated), {b}, torch::kBool);
  t.episode_return = torch::from_blob(mut(batch.episode_return), {b}, torch::kFloat64);
  t.episode_length = torch::from_blob(mut(batch.episode_length), {b}, torch::kInt64);
  t.info = torch::from_blob(mut(batch.info), {b, batch.num_info}, torch::kFloat64);
  return t;
}

}  // namespace rlarena
