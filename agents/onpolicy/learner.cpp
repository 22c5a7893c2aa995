#include "agents/onpolicy/learner.h"

#include <algorithm>
#include <cstring>

#include "agents/common/optim.h"
#include "agents/distributed/world.h"
#include "common/error.h"
#include "envs/core/image_space.h"

namespace rlarena {

namespace {

constexpr double kObsClip = 10.0;  // Gymnasium/CleanRL clip of normalized observations

Activation activation_of(const Recipe& r) {
  const std::string& a = r.text("activation");
  if (a == "tanh") return Activation::Tanh;
  if (a == "relu") return Activation::ReLU;
  if (a == "gelu") return Activation::GELU;
  throw Error("activation = " + a + " is not known; give tanh, relu or gelu");
}

// [H, W, C] of image observations (uint8, three axes), else empty.
std::vector<int64_t> image_shape(const Space& observations) {
  return is_image(observations) ? observations.shape() : std::vector<int64_t>{};
}

const Space& checked_actions(const Space& actions) {
  if (actions.kind() != Space::Kind::Discrete && actions.kind() != Space::Kind::Box)
    throw Error("actions " + actions.repr() + ": these agents take Discrete or Box actions");
  return actions;
}

}  // namespace

std::vector<KeySpec> OnPolicyLearner::keys() {
  return {{"learning_rate", "0.00025", "step size"},
          {"anneal_lr", "true", "anneal the learning rate linearly to 0"},
          {"hidden", "64,64", "hidden layer sizes of actor and critic, comma-separated"},
          {"activation", "tanh", "hidden activation: tanh, relu or gelu"},
          {"ortho_init", "true", "orthogonal initialisation (CleanRL's); false: PyTorch's defaults (SB3's ortho_init)"},
          {"log_std_init", "0", "initial log std of continuous actions"},
          {"norm_obs", "false", "normalize observations by running mean/std (part of the policy)"}};
}

OnPolicyLearner::OnPolicyLearner(const Recipe& r, const Space& observations, const Space& actions,
                                 int64_t actor_inputs, uint64_t seed_offset)
    : Learner(observations, checked_actions(actions), true),
      seeded_(seed_torch(static_cast<uint64_t>(r.integer("seed")) + seed_offset)),
      agent_(obs_dim_, actions, r.list("hidden"), activation_of(r), r.number("log_std_init"), actor_inputs,
             image_shape(observations), r.flag("ortho_init")),
      // Each rank of a distributed job samples and shuffles its own stream (networks start equal).
      rng_(rank_seed(static_cast<uint64_t>(r.integer("seed")) + seed_offset)),
      lr_(r.number_in("learning_rate", 1e-12, 1)),
      anneal_(r.flag("anneal_lr")),
      low_(actions.low().begin(), actions.low().end()),
      high_(actions.high().begin(), actions.high().end()) {
  if (r.flag("norm_obs") && !agent_.image.empty())
    throw Error("norm_obs = true takes vector observations; images " + observations.repr() +
                " are scaled to [0, 1] by the CNN: give norm_obs = false");
  if (r.flag("norm_obs")) obs_norm_.emplace(obs_dim_, kObsClip);
}

torch::Tensor OnPolicyLearner::observe(const void* obs, int64_t rows, Statistics statistics) {
  if (!agent_.image.empty())  // pixels as floats 0..255; the CNN scales them
    return torch::from_blob(const_cast<void*>(obs), {rows, obs_dim_}, torch::kUInt8).to(torch::kFloat32);
  torch::Tensor t = torch::empty({rows, obs_dim_}, torch::kFloat32);
  std::memcpy(t.data_ptr<float>(), obs, rows * obs_dim_ * sizeof(float));
  if (obs_norm_) obs_norm_->normalize(t.data_ptr<float>(), rows, statistics);
  return t;
}

void OnPolicyLearner::to_env_actions(const torch::Tensor& sampled, uint8_t* out) const {
  const torch::Tensor a = sampled.contiguous();
  const int64_t rows = a.size(0);
  if (a.scalar_type() == torch::kInt64) {
    const int64_t start = act_space_.start();
    auto* dst = reinterpret_cast<int64_t*>(out);
    const int64_t* src = a.data_ptr<int64_t>();
    for (int64_t i = 0; i < rows; ++i) dst[i] = src[i] + start;
    return;
  }
  auto* dst = reinterpret_cast<float*>(out);
  const float* src = a.data_ptr<float>();
  const int64_t dim = static_cast<int64_t>(low_.size());
  for (int64_t i = 0; i < rows * dim; ++i)
    dst[i] = static_cast<float>(std::clamp<double>(src[i], low_[i % dim], high_[i % dim]));
}

void OnPolicyLearner::act(const PolicyInput& input, Acting acting, void* actions) {
  torch::InferenceMode guard;
  // The env's own bytes (uint8 for images): act_within reads them through observe().
  const torch::Tensor obs = torch::from_blob(const_cast<void*>(input.obs), {input.n, obs_dim_},
                                             agent_.image.empty() ? torch::kFloat32 : torch::kUInt8);
  torch::Tensor mask;
  if (input.action_mask && discrete())
    mask = torch::from_blob(const_cast<uint8_t*>(input.action_mask), {input.n, action_dim()}, torch::kUInt8)
               .to(torch::kBool);
  act_within(obs, mask, acting, actions);
}

void OnPolicyLearner::act_within(const torch::Tensor& obs, const torch::Tensor& mask, Acting acting, void* actions) {
  torch::InferenceMode guard;
  const torch::Tensor raw = (agent_.image.empty() ? obs : obs.to(torch::kUInt8)).contiguous();
  const torch::Tensor x = observe(raw.data_ptr(), raw.size(0), Statistics::Keep);
  to_env_actions(acting == Acting::Deterministic ? agent_.mode(x, mask) : agent_.sample(x, rng_, mask).first,
                 static_cast<uint8_t*>(actions));
}

double OnPolicyLearner::set_step_size(double remaining) {
  const double lr = anneal_ ? remaining * lr_ : lr_;
  set_learning_rate(optimizer(), lr);
  return lr;
}

void OnPolicyLearner::declare(Parts& p) {
  p.module("agent", agent_).optimizer("optimizer", optimizer()).rng("policy/rng", rng_);
  if (obs_norm_)
    p.custom("policy/obs_rms", [this](StateMap& s) { put_state(s, "policy/obs_rms", obs_norm_->stats().state()); },
             [this](const StateMap& s) {
               std::vector<double> v;
               get_state(s, "policy/obs_rms", v);
               obs_norm_->stats().set_state(v);
             });
}

}  // namespace rlarena
