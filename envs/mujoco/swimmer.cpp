// Swimmer-v5: swim forward in a viscous fluid. Gymnasium swimmer_v5.py: obs =
// qpos[2:] ++ qvel; reward = forward_reward_weight * x velocity - ctrl_cost_weight
// (1e-4) * |a|^2; never terminates; reset qpos and qvel + U(+-0.1).
// MuJoCo 2.2.2 vs >= 2.3.3: the fluid model (density, viscosity) is the same.
#include <cmath>

#include "envs/core/registry.h"
#include "envs/mujoco/model.h"
#include "envs/mujoco/mujoco_env.h"
#include "envs/mujoco/numpy_sums.h"

namespace rlarena {
namespace {

class Swimmer final : public MujocoEnv {

 public:
  Swimmer(const EnvSpec& spec, const Kwargs& kw)
      : MujocoEnv(spec, kw, "swimmer.xml", 4, obs_dim(kw)),
        forward_reward_weight_(kw.get_double("forward_reward_weight", 1.0)),
        ctrl_cost_weight_(kw.get_double("ctrl_cost_weight", 1e-4)),
        reset_noise_scale_(kw.get_double("reset_noise_scale", 0.1)),
        exclude_positions_(kw.get_bool("exclude_current_positions_from_observation", true)) {
    set_info_keys({"x_position", "y_position", "distance_from_origin", "x_velocity", "y_velocity",
                   "reward_forward", "reward_ctrl"});
  }

 private:
  static int64_t obs_dim(const Kwargs& kw) {
    const auto m = load_model(kw.get_string("xml_file", "swimmer.xml"));
    return m->nq + m->nv - (kw.get_bool("exclude_current_positions_from_observation", true) ? 2 : 0);
  }

  void reset_model() override {
    reset_noisy(reset_noise_scale_, VelocityNoise::Uniform);
  }

  Transition do_step(const void* action, double* info) override {
    const float* a = static_cast<const float*>(action);
    const double x_before = data()->qpos[0], y_before = data()->qpos[1];
    do_simulation(a);
    const double x_after = data()->qpos[0], y_after = data()->qpos[1];
    const double x_velocity = (x_after - x_before) / dt(), y_velocity = (y_after - y_before) / dt();
    const double forward_reward = forward_reward_weight_ * x_velocity;
    const double ctrl_cost = control_cost(ctrl_cost_weight_, a, model()->nu);
    info[0] = x_after, info[1] = y_after;
    info[2] = std::sqrt(x_after * x_after + y_after * y_after);
    info[3] = x_velocity, info[4] = y_velocity, info[5] = forward_reward, info[6] = -ctrl_cost;
    return {forward_reward - ctrl_cost, false};
  }

  void observe(void* obs) const override {
    put_qpos_qvel(static_cast<float*>(obs), exclude_positions_ ? 2 : 0);
  }

  double forward_reward_weight_, ctrl_cost_weight_, reset_noise_scale_;
  bool exclude_positions_;
};

const bool registered = register_env<Swimmer>({"Swimmer-v5", 1000, 360.0, {}, "gymnasium.envs.mujoco.swimmer_v5:SwimmerEnv"});

}  // namespace
}  // namespace rlarena
