// HalfCheetah-v5: run forward; reward = forward_reward_weight * x velocity -
// ctrl_cost_weight * |a|^2; never terminates. Gymnasium half_cheetah_v5.py: obs =
// qpos[1:] (or all of qpos without exclude_current_positions_from_observation) ++
// qvel; reset qpos + U(+-0.1), qvel + 0.1 N(0,1).
// MuJoCo 2.2.2 vs >= 2.3.3: no feature of this model changed meaning.
#include "envs/core/registry.h"
#include "envs/mujoco/model.h"
#include "envs/mujoco/mujoco_env.h"
#include "envs/mujoco/numpy_sums.h"

namespace rlarena {
namespace {

class HalfCheetah final : public MujocoEnv {
  static constexpr int kFrameSkip = 5;

 public:
  HalfCheetah(const EnvSpec& spec, const Kwargs& kw)
      : MujocoEnv(spec, kw, "half_cheetah.xml", kFrameSkip, obs_dim(kw), CameraConfig::at(4.0)),
        forward_reward_weight_(kw.get_double("forward_reward_weight", 1.0)),
        ctrl_cost_weight_(kw.get_double("ctrl_cost_weight", 0.1)),
        reset_noise_scale_(kw.get_double("reset_noise_scale", 0.1)),
        exclude_positions_(kw.get_bool("exclude_current_positions_from_observation", true)) {
    set_info_keys({"x_position", "x_velocity", "reward_forward", "reward_ctrl"});
  }

 private:
  static int64_t obs_dim(const Kwargs& kw) {
    const auto m = load_model(kw.get_string("xml_file", "half_cheetah.xml"));
    return m->nq + m->nv - (kw.get_bool("exclude_current_positions_from_observation", true) ? 1 : 0);
  }

  void reset_model() override {
    reset_noisy(reset_noise_scale_, VelocityNoise::Normal);
  }

  Transition do_step(const void* action, double* info) override {
    const float* a = static_cast<const float*>(action);
    const double x_before = data()->qpos[0];
    do_simulation(a);
    const double x_after = data()->qpos[0];
    const double x_velocity = (x_after - x_before) / dt();
    const double forward_reward = forward_reward_weight_ * x_velocity;
    const double ctrl_cost = control_cost(ctrl_cost_weight_, a, model()->nu);
    info[0] = x_after, info[1] = x_velocity, info[2] = forward_reward, info[3] = -ctrl_cost;
    return {forward_reward - ctrl_cost, false};
  }

  void observe(void* obs) const override {
    put_qpos_qvel(static_cast<float*>(obs), exclude_positions_ ? 1 : 0);
  }

  double forward_reward_weight_, ctrl_cost_weight_, reset_noise_scale_;
  bool exclude_positions_;
};

const bool registered = register_env<HalfCheetah>({"HalfCheetah-v5", 1000, 4800.0, {}, "gymnasium.envs.mujoco.half_cheetah_v5:HalfCheetahEnv"});

}  // namespace
}  // namespace rlarena
