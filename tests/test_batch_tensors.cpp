// The torch view of a VecEnv batch shares the batch's memory and values.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "agents/common/batch_tensors.h"
#include "agents/common/torch_threads.h"
#include "envs/core/vec_env.h"

using namespace rlarena;

TEST_CASE("as_tensors wraps a batch without copying", "[torch]") {
  VecEnv venv("CartPole-v1", 6, 0, 1);
  venv.reset();
  const Batch& b = venv.step(std::vector<int64_t>{0, 1, 0, 1, 0, 1});
  const BatchTensors t = as_tensors(b, venv.observation_space());
  CHECK(t.obs.sizes() == torch::IntArrayRef({6, 4}));
  CHECK(t.obs.dtype() == torch::kFloat32);
  CHECK(t.obs.data_ptr() == b.obs);
  CHECK(t.reward.data_ptr() == static_cast<const void*>(b.reward));
  CHECK(t.terminated.dtype() == torch::kBool);
  CHECK(t.obs[3][2].item<float>() == b.obs_row<float>(3)[2]);
  CHECK(t.reward.sum().item<double>() == 6.0);
  CHECK(t.episode_length.sum().item<int64_t>() == 6);

  // The next step writes the same buffers: the view sees it with no new wrapping.
  const float before = t.obs[0][0].item<float>();
  venv.step(std::vector<int64_t>{1, 1, 1, 1, 1, 1});
  CHECK(t.obs[0][0].item<float>() == b.obs_row<float>(0)[0]);
  CHECK(t.obs[0][0].item<float>() != before);
}

TEST_CASE("torch threads are set explicitly", "[torch]") {
  CHECK(set_torch_threads(1) == 1);
  CHECK(set_torch_threads(2) == 2);
  set_torch_threads(1);
  CHECK_THROWS(set_torch_threads(0));
}
