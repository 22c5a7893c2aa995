#include "agents/onpolicy/actor_critic.h"

#include "agents/common/distributions.h"

namespace rlarena {

ActorCritic::ActorCritic(int64_t obs_dim, const Space& actions, const std::vector<int64_t>& hidden,
                         Activation activation, double log_std_init, int64_t actor_inputs_,
                         const std::vector<int64_t>& image_, bool orthogonal)
    : discrete(actions.kind() == Space::Kind::Discrete),
      act_dim(discrete ? actions.n() : actions.numel()),
      actor_inputs(actor_inputs_ > 0 && actor_inputs_ < obs_dim && image_.empty() ? actor_inputs_ : 0),
      image(image_) {
  int64_t width = obs_dim;
  if (!image.empty()) {
    encoder = register_module("encoder", nature_cnn(image[2], image[0], image[1], orthogonal));
    width = 512;
  }
  critic = register_module("critic", mlp(width, hidden, 1, activation,
                                         orthogonal ? Init::orthogonal(1.0) : Init::torch_default()));
  actor = register_module("actor", mlp(actor_inputs > 0 ? actor_inputs : width, hidden, act_dim, activation,
                                       orthogonal ? Init::orthogonal(0.01) : Init::torch_default()));
  if (!discrete) log_std = register_parameter("log_std", torch::full({act_dim}, log_std_init));
}

torch::Tensor ActorCritic::features(const torch::Tensor& obs) {
  if (!encoder) return obs;
  // Leading axes ([B] or [T, B]) go through the CNN as one batch and come back.
  std::vector<int64_t> shape = obs.sizes().vec();
  shape.back() = 512;
  return encoder->forward(obs.reshape({-1, image[0], image[1], image[2]}).permute({0, 3, 1, 2}).div(255.0))
      .view(shape);
}

torch::Tensor ActorCritic::head_out(const torch::Tensor& f) {
  return actor->forward(actor_inputs > 0 ? f.narrow(-1, 0, actor_inputs) : f);
}

torch::Tensor ActorCritic::actor_out(const torch::Tensor& obs) { return head_out(features(obs)); }

torch::Tensor ActorCritic::masked(torch::Tensor logits, const torch::Tensor& mask) const {
  // A finite floor rather than -inf: a row with no legal action (a seat that is not to
  // move) stays uniform instead of NaN, and masked actions still add 0 to the entropy.
  return mask.defined() ? logits.masked_fill(mask.logical_not(), -1e8) : logits;
}

torch::Tensor ActorCritic::masked_logits(const torch::Tensor& obs, const torch::Tensor& mask) {
  return masked(actor_out(obs), mask);
}

std::pair<torch::Tensor, torch::Tensor> ActorCritic::evaluate(const torch::Tensor& obs, const torch::Tensor& actions,
                                                              const torch::Tensor& mask, torch::Tensor* value) {
  const torch::Tensor f = features(obs);
  if (value) *value = critic->forward(f).squeeze(-1);
  if (discrete) {
    const Categorical dist(masked(head_out(f), mask));
    return {dist.log_prob(actions), dist.entropy()};
  }
  const DiagGaussian dist(head_out(f), log_std);
  return {dist.log_prob(actions), dist.entropy()};
}

std::pair<torch::Tensor, torch::Tensor> ActorCritic::sample(const torch::Tensor& obs, Rng& rng,
                                                            const torch::Tensor& mask) {
  if (discrete) {
    const Categorical dist(masked_logits(obs, mask));
    torch::Tensor a = dist.sample(rng);
    return {a, dist.log_prob(a)};
  }
  const DiagGaussian dist(actor_out(obs), log_std);
  torch::Tensor a = dist.sample(rng);
  return {a, dist.log_prob(a)};
}

torch::Tensor ActorCritic::mode(const torch::Tensor& obs, const torch::Tensor& mask) {
  return discrete ? Categorical(masked_logits(obs, mask)).mode() : actor_out(obs);
}

}  // namespace rlarena
