#include "agents/common/learner.h"

#include "common/error.h"
#include "envs/core/image_space.h"

namespace rlarena {

Minibatch Minibatch::rows(const torch::Tensor& idx) const {
  const auto pick = [&](const torch::Tensor& t) { return t.defined() ? t.index_select(0, idx) : t; };
  Minibatch out;
  out.obs = pick(obs), out.actions = pick(actions), out.rewards = pick(rewards), out.next_obs = pick(next_obs);
  out.terminated = pick(terminated), out.weights = pick(weights);
  out.log_probs = pick(log_probs), out.values = pick(values), out.advantages = pick(advantages);
  out.returns = pick(returns), out.masks = pick(masks);
  return out;
}

Learner::Learner(const Space& observation_space, const Space& action_space, bool images)
    : obs_space_(observation_space), act_space_(action_space), obs_dim_(observation_space.numel()) {
  const bool image = is_image(obs_space_);
  if (image && !images)
    throw Error("observations " + obs_space_.repr() + " are images; of the agents, ppo and a2c learn from pixels "
                "(their Nature CNN); the others take vector (float32 Box) observations");
  if (!image && (obs_space_.dtype() != DType::Float32 || obs_space_.is_composite()))
    throw Error("observations " + obs_space_.repr() + ": these agents take vector (float32 Box) observations or "
                "images (uint8 [height, width, channels]); give such an env");
}

void Learner::act(const PolicyInput& input, Acting acting, void* actions) {
  torch::InferenceMode guard;
  act(torch::from_blob(const_cast<void*>(input.obs), {input.n, obs_dim_}, torch::kFloat32), acting, actions);
}

}  // namespace rlarena
