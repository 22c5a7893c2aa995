// PlanarWalker: what Hopper-v5 and Walker2d-v5 share (Gymnasium hopper_v5.py and
// walker2d_v5.py): obs = qpos[1:] ++ clip(qvel, -10, 10); reward = forward weight *
// x velocity + healthy_reward (only while healthy) - ctrl weight * |a|^2; terminated
// when unhealthy if terminate_when_unhealthy; reset qpos and qvel + U(+-scale).
// Each task says what healthy means.
#pragma once
#include "envs/mujoco/mujoco_env.h"

namespace rlarena {

class PlanarWalker : public MujocoEnv {
 protected:
  struct Defaults {
    const char* xml;
    int frame_skip;
    std::pair<double, double> healthy_z_range;
    std::pair<double, double> healthy_angle_range;
    CameraConfig camera;
  };
  PlanarWalker(const EnvSpec& spec, const Kwargs& kw, const Defaults& defaults);

  // The task's healthy rule on a state (qpos, qvel).
  bool healthy(const double* qpos, const double* qvel) const;
  // Beyond z and angle: Hopper also bounds the rest of the state.
  virtual bool state_in_range(const double* qpos, const double* qvel) const {
    (void)qpos, (void)qvel;
    return true;
  }

 public:
  // The healthy rule on the state an observation holds (qpos[1:] or qpos, then the
  // velocities, clipped to +-10 as the observation has them).
  bool terminal_observation(const float* obs) const override;

 protected:

 private:
  static int64_t obs_dim(const Kwargs& kw, const char* xml);
  void reset_model() override;
  Transition do_step(const void* action, double* info) override;
  void observe(void* obs) const override;

  double forward_reward_weight_, ctrl_cost_weight_, healthy_reward_;
  bool terminate_when_unhealthy_;
  std::pair<double, double> healthy_z_range_, healthy_angle_range_;
  double reset_noise_scale_;
  bool exclude_positions_;
};

}  // namespace rlarena
