#include "agents/onpolicy/actor_critic.h"

#include "agents/common/distributions.h"

namespace rlarena {

ActorCritic::ActorCritic(int64_t obs_dim, const Space& actions, const std::vector<int64_t>& hidden,
                         Activation activation, double log_std_init, int64_t actor_inputs_)
    : discrete(actions.kind() == Space::Kind::Discrete),
      act_dim(discrete ? actions.n() : actions.numel()),
      actor_inputs(actor_inputs_ > 0 && actor_inputs_ < obs_dim ? actor_inputs_ : 0) {
  critic = register_module("critic", mlp(obs_dim, hidden, 1, activation, Init::orthogonal(1.0)));
  actor = register_module("actor", mlp(actor_inputs > 0 ? actor_inputs : obs_dim, hidden, act_dim, activation,
                                       Init::orthogonal(0.01)));
  if (!discrete) log_std = register_parameter("log_std", torch::full({act_dim}, log_std_init));
}

torch::Tensor ActorCritic::actor_out(const torch::Tensor& obs) {
  return actor->forward(actor_inputs > 0 ? obs.narrow(-1, 0, actor_inputs) : obs);
}

torch::Tensor ActorCritic::masked_logits(const torch::Tensor& obs, const torch::Tensor& mask) {
  const torch::Tensor logits = actor_out(obs);
  // A finite floor rather than -inf: a row with no legal action (a seat that is not to
  // move) stays uniform instead of NaN, and masked actions still add 0 to the entropy.
  return mask.defined() ? logits.masked_fill(mask.logical_not(), -1e8) : logits;
}

std::pair<torch::Tensor, torch::Tensor> ActorCritic::evaluate(const torch::Tensor& obs, const torch::Tensor& actions,
                                                              const torch::Tensor& mask) {
  if (discrete) {
    const Categorical dist(masked_logits(obs, mask));
    return {dist.log_prob(actions), dist.entropy()};
  }
  const DiagGaussian dist(actor_out(obs), log_std);
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
