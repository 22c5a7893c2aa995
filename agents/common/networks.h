// Network builders shared by the agents: MLPs and the Nature-DQN CNN with CleanRL's
// initialisation (orthogonal weights with a gain per layer, zero biases).
#pragma once
#include <torch/torch.h>

#include <vector>

namespace rlarena {

enum class Activation { Tanh, ReLU, SiLU, GELU };

// How an MLP's weights start: orthogonal with gain sqrt(2) for hidden layers and
// `out_gain` for the last (CleanRL's PPO: 0.01 for policy logits, 1.0 for values), or
// nn::Linear's own default (CleanRL's DQN, SAC, TD3).
struct Init {
  static Init orthogonal(double out_gain) { return {true, out_gain}; }
  static Init torch_default() { return {false, 1.0}; }
  bool orthogonal_weights;
  double out_gain;
};

// in -> hidden... -> out.
torch::nn::Sequential mlp(int64_t in, const std::vector<int64_t>& hidden, int64_t out, Activation activation,
                          Init init);

// K independent ReLU MLPs of the same shape, their weights stacked per layer. A shared
// input [B, in] runs one GEMM chain per member (addmm: measured faster on these CPUs
// than a broadcast batched product); member inputs [K, B, in] one baddbmm per layer. Each
// member gets nn::Linear's default initialisation.
// `activation` applied to x.
torch::Tensor activate(const torch::Tensor& x, Activation activation);

struct EnsembleMLPImpl : torch::nn::Module {
  EnsembleMLPImpl(int64_t members, int64_t in, const std::vector<int64_t>& hidden, int64_t out,
                  Activation activation = Activation::ReLU);
  // x [B, in] (shared by all members) or [K, B, in] -> [K, B, out].
  torch::Tensor forward(torch::Tensor x);
  // x [M, B, in] through the M members listed in `members` (int64 [M]) -> [M, B, out]:
  // a pass that needs only some members (PETS's and MBPO's elites) costs only theirs.
  torch::Tensor forward(torch::Tensor x, const torch::Tensor& members);
  // Member k alone on x [B, in] -> [B, out] (TD3's actor step needs only the first critic).
  torch::Tensor forward_member(torch::Tensor x, int64_t k);
  std::vector<torch::Tensor> weights, biases;  // [K, in, out], [K, 1, out]
  Activation activation;
};
TORCH_MODULE(EnsembleMLP);

// target <- tau * source + (1 - tau) * target, parameter by parameter (tau = 1 copies).
void soft_update(torch::nn::Module& target, const torch::nn::Module& source, double tau);
// Turns gradients of a module's parameters on or off (e.g. the critic during an
// actor step, so no weight gradients are computed for it).
void set_requires_grad(torch::nn::Module& module, bool on);

// Mnih et al. 2015: 32 8x8/4, 64 4x4/2, 64 3x3/1, 512 units, for [N, C, 84, 84] inputs
// scaled to [0, 1]. Ends with the 512-unit ReLU layer (heads are added by agents).
// Orthogonal weights (gain sqrt 2) or, with `orthogonal` false, PyTorch's defaults.
torch::nn::Sequential nature_cnn(int64_t channels, int64_t height = 84, int64_t width = 84, bool orthogonal = true);

// Orthogonal weights (gain), zero bias, for a Linear or Conv2d layer.
void init_layer(torch::nn::Module& layer, double gain);

}  // namespace rlarena
