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
                          double out_gain) {
  torch::nn::Sequential net;
  int64_t width = in;
  for (int64_t h : hidden) {
    torch::nn::Linear layer(width, h);
    init_layer(*layer, std::sqrt(2.0));
    net->push_back(layer);
    if (activation == Activation::Tanh) net->push_back(torch::nn::Tanh());
    else net->push_back(torch::nn::ReLU());
    width = h;
  }
  torch::nn::Linear last(width, out);
  init_layer(*last, out_gain);
  net->push_back(last);
  return net;
}

torch::nn::Sequential nature_cnn(int64_t channels, int64_t height, int64_t width) {
  const auto conv_out = [](int64_t size, int64_t kernel, int64_t stride) { return (size - kernel) / stride + 1; };
  const int64_t h = conv_out(conv_out(conv_out(height, 8, 4), 4, 2), 3, 1);
  const int64_t w = conv_out(conv_out(conv_out(width, 8, 4), 4, 2), 3, 1);
  torch::nn::Sequential net;
  const auto conv = [&](int64_t in, int64_t out, int64_t kernel, int64_t stride) {
    torch::nn::Conv2d layer(torch::nn::Conv2dOptions(in, out, kernel).stride(stride));
    init_layer(*layer, std::sqrt(2.0));
    net->push_back(layer);
    net->push_back(torch::nn::ReLU());
  };
  conv(channels, 32, 8, 4);
  conv(32, 64, 4, 2);
  conv(64, 64, 3, 1);
  net->push_back(torch::nn::Flatten());
  torch::nn::Linear fc(64 * h * w, 512);
  init_layer(*fc, std::sqrt(2.0));
  net->push_back(fc);
  net->push_back(torch::nn::ReLU());
  return net;
}

}  // namespace rlarena
