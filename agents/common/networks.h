// Network builders shared by the agents: MLPs and the Nature-DQN CNN with CleanRL's
// initialisation (orthogonal weights with a gain per layer, zero biases).
#pragma once
#include <torch/torch.h>

#include <vector>

namespace rlarena {

enum class Activation { Tanh, ReLU };

// in -> hidden... -> out. Hidden layers use gain sqrt(2); the last layer `out_gain`
// (CleanRL: 0.01 for policy logits, 1.0 for values).
torch::nn::Sequential mlp(int64_t in, const std::vector<int64_t>& hidden, int64_t out, Activation activation,
                          double out_gain = 1.0);

// Mnih et al. 2015: 32 8x8/4, 64 4x4/2, 64 3x3/1, 512 units, for [N, C, 84, 84] inputs
// scaled to [0, 1]. Ends with the 512-unit ReLU layer (heads are added by agents).
torch::nn::Sequential nature_cnn(int64_t channels, int64_t height = 84, int64_t width = 84);

// Orthogonal weights (gain), zero bias, for a Linear or Conv2d layer.
void init_layer(torch::nn::Module& layer, double gain);

}  // namespace rlarena
