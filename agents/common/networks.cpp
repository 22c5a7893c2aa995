#include "agents/common/networks.h"

#include <cmath>

namespace rlarena {

void init_layer(torch::nn::Module& layer, double gain) {
  torch::NoGradGuard no_grad;
  for (auto& p : layer.named_parameters(false)) {
    if (p.key() == "weight") torch::nn::init::orthogonal_(p.value(), gain);
    if (p.key() == "bias") torch::nn::init::zeros_(p.value());
  }
}

torch::nn::Sequential mlp(int64_t in, const std::vector<int64_t>& hidden, int64_t out, Activation activation,
                          Init init) {
  torch::nn::Sequential net;
  int64_t width = in;
  for (int64_t h : hidden) {
    torch::nn::Linear layer(width, h);
    if (init.orthogonal_weights) init_layer(*layer, std::sqrt(2.0));
    net->push_back(layer);
    if (activation == Activation::Tanh) net->push_back(torch::nn::Tanh());
    else if (activation == Activation::SiLU) net->push_back(torch::nn::SiLU());
    else if (activation == Activation::GELU) net->push_back(torch::nn::GELU());
    else net->push_back(torch::nn::ReLU());
    width = h;
  }
  torch::nn::Linear last(width, out);
  if (init.orthogonal_weights) init_layer(*last, init.out_gain);
  net->push_back(last);
  return net;
}

torch::nn::Sequential nature_cnn(int64_t channels, int64_t height, int64_t width, bool orthogonal) {
  const auto conv_out = [](int64_t size, int64_t kernel, int64_t stride) { return (size - kernel) / stride + 1; };
  const int64_t h = conv_out(conv_out(conv_out(height, 8, 4), 4, 2), 3, 1);
  const int64_t w = conv_out(conv_out(conv_out(width, 8, 4), 4, 2), 3, 1);
  torch::nn::Sequential net;
  const auto conv = [&](int64_t in, int64_t out, int64_t kernel, int64_t stride) {
    torch::nn::Conv2d layer(torch::nn::Conv2dOptions(in, out, kernel).stride(stride));
    if (orthogonal) init_layer(*layer, std::sqrt(2.0));
    net->push_back(layer);
    net->push_back(torch::nn::ReLU());
  };
  conv(channels, 32, 8, 4);
  conv(32, 64, 4, 2);
  conv(64, 64, 3, 1);
  net->push_back(torch::nn::Flatten());
  torch::nn::Linear fc(64 * h * w, 512);
  if (orthogonal) init_layer(*fc, std::sqrt(2.0));
  net->push_back(fc);
  net->push_back(torch::nn::ReLU());
  return net;
}

torch::Tensor activate(const torch::Tensor& x, Activation activation) {
  switch (activation) {
    case Activation::Tanh: return torch::tanh(x);
    case Activation::SiLU: return torch::silu(x);
    case Activation::GELU: return torch::gelu(x);
    case Activation::ReLU: break;
  }
  return torch::relu(x);
}

EnsembleMLPImpl::EnsembleMLPImpl(int64_t members, int64_t in, const std::vector<int64_t>& hidden, int64_t out,
                                 Activation activation_)
    : activation(activation_) {
  std::vector<int64_t> sizes = {in};
  sizes.insert(sizes.end(), hidden.begin(), hidden.end());
  sizes.push_back(out);
  torch::NoGradGuard no_grad;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    // nn::Linear's default: kaiming_uniform(a = sqrt(5)) and a bias, both U(-1/sqrt(in), 1/sqrt(in)).
    const double bound = 1.0 / std::sqrt(static_cast<double>(sizes[l]));
    weights.push_back(register_parameter("w" + std::to_string(l),
                                         torch::empty({members, sizes[l], sizes[l + 1]}).uniform_(-bound, bound)));
    biases.push_back(register_parameter("b" + std::to_string(l),
                                        torch::empty({members, 1, sizes[l + 1]}).uniform_(-bound, bound)));
  }
}

torch::Tensor EnsembleMLPImpl::forward(torch::Tensor x) {
  if (x.dim() == 2) {
    // A shared input: one GEMM chain per member (addmm) measured faster on CPU than a
    // broadcast batched product, which first copies the input K times.
    std::vector<torch::Tensor> out;
    for (int64_t k = 0; k < weights.front().size(0); ++k) out.push_back(forward_member(x, k));
    return torch::stack(out);
  }
  for (size_t l = 0; l < weights.size(); ++l) {
    x = torch::baddbmm(biases[l], x, weights[l]);  // one input per member: [K, B, in]
    if (l + 1 < weights.size()) x = activate(x, activation);
  }
  return x;
}

torch::Tensor EnsembleMLPImpl::forward(torch::Tensor x, const torch::Tensor& members) {
  for (size_t l = 0; l < weights.size(); ++l) {
    x = torch::baddbmm(biases[l].index_select(0, members), x, weights[l].index_select(0, members));
    if (l + 1 < weights.size()) x = activate(x, activation);
  }
  return x;
}

torch::Tensor EnsembleMLPImpl::forward_member(torch::Tensor x, int64_t k) {
  for (size_t l = 0; l < weights.size(); ++l) {
    x = torch::addmm(biases[l][k], x, weights[l][k]);
    if (l + 1 < weights.size()) x = activate(x, activation);
  }
  return x;
}

void soft_update(torch::nn::Module& target, const torch::nn::Module& source, double tau) {
  torch::NoGradGuard no_grad;
  const auto src = source.parameters();
  auto dst = target.parameters();
  for (size_t i = 0; i < dst.size(); ++i) {
    if (tau >= 1.0) dst[i].copy_(src[i]);
    else dst[i].mul_(1.0 - tau).add_(src[i], tau);
  }
}

void set_requires_grad(torch::nn::Module& module, bool on) {
  for (auto& p : module.parameters()) p.set_requires_grad(on);
}

}  // namespace rlarena
