#include "agents/common/torch_threads.h"

#include <torch/torch.h>

#include "envs/core/error.h"

namespace rlarena {

int set_torch_threads(int intra_op_threads) {
  if (intra_op_threads < 1)
    throw Error("torch threads=" + std::to_string(intra_op_threads) + "; give 1 or more");
  torch::set_num_threads(intra_op_threads);
  return torch::get_num_threads();
}

}  // namespace rlarena
