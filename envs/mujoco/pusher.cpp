// Pusher-v5: push a cylinder to a goal with a 7-joint arm. Gymnasium pusher_v5.py:
// obs = arm qpos[:7] ++ arm qvel[:7] ++ positions of tips_arm, object and goal;
// reward (after the step, as v5) = -reward_dist_weight * |object - goal| -
// reward_control_weight * |a|^2 - reward_near_weight * |object - tips_arm|; never
// terminates; reset: arm at rest at zero, object offset drawn (U[-0.3, 0) on its
// first slide joint, which is y, U(+-0.2) on x) until > 0.17 from the goal at the
// origin, arm qvel + U(+-0.005).
// MuJoCo 2.2.2 vs >= 2.3.3: no model feature changed meaning.
#include <cmath>

#include "envs/core/registry.h"
#include "envs/mujoco/mujoco_env.h"
#include "envs/mujoco/numpy_sums.h"

namespace rlarena {
namespace {

class Pusher final : public MujocoEnv {
  static constexpr int kArmJoints = 7;
  static constexpr double kMinGoalDistance = 0.17;
  static constexpr double kVelocityNoise = 0.005;

 public:
  Pusher(const EnvSpec& spec, const Kwargs& kw)
      : MujocoEnv(spec, kw, "pusher.xml", 5, 23, CameraConfig::at(4.0)),
        reward_near_weight_(kw.get_double("reward_near_weight", 0.5)),
        reward_dist_weight_(kw.get_double("reward_dist_weight", 1.0)),
        reward_control_weight_(kw.get_double("reward_control_weight", 0.1)),
        tips_arm_(body_id("tips_arm")),
        object_(body_id("object")),
        goal_(body_id("goal")) {
    set_info_keys({"reward_dist", "reward_ctrl", "reward_near"});
  }

 private:
  static double distance(const double* a, const double* b) {
    const double v[3] = {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    return std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  }

  void reset_model() override {
    auto qpos = init_qpos();
    double cylinder[2];
    do {
      cylinder[0] = rng().uniform(-0.3, 0.0);
      cylinder[1] = rng().uniform(-0.2, 0.2);
    } while (!(std::sqrt(cylinder[0] * cylinder[0] + cylinder[1] * cylinder[1]) > kMinGoalDistance));
    const size_t n = qpos.size();
    qpos[n - 4] = cylinder[0], qpos[n - 3] = cylinder[1];
    qpos[n - 2] = qpos[n - 1] = 0;
    auto qvel = uniform_noise(init_qvel(), kVelocityNoise);
    for (size_t i = qvel.size() - 4; i < qvel.size(); ++i) qvel[i] = 0;
    set_qpos_qvel(qpos.data(), qvel.data());
  }

  Transition do_step(const void* action, double* info) override {
    const float* a = static_cast<const float*>(action);
    do_simulation(a);
    const double* x = data()->xpos;
    const double reward_near = -distance(x + 3 * object_, x + 3 * tips_arm_) * reward_near_weight_;
    const double reward_dist = -distance(x + 3 * object_, x + 3 * goal_) * reward_dist_weight_;
    const double reward_ctrl = -control_cost(reward_control_weight_, a, model()->nu);
    info[0] = reward_dist, info[1] = reward_ctrl, info[2] = reward_near;
    return {(reward_dist + reward_ctrl) + reward_near, false};
  }

  void observe(void* obs) const override {
    float* o = static_cast<float*>(obs);
    for (int i = 0; i < kArmJoints; ++i) *o++ = static_cast<float>(data()->qpos[i]);
    for (int i = 0; i < kArmJoints; ++i) *o++ = static_cast<float>(data()->qvel[i]);
    for (int body : {tips_arm_, object_, goal_})
      for (int k = 0; k < 3; ++k) *o++ = static_cast<float>(data()->xpos[3 * body + k]);
  }

  double reward_near_weight_, reward_dist_weight_, reward_control_weight_;
  int tips_arm_, object_, goal_;
};

const bool registered = register_env<Pusher>({"Pusher-v5", 100, 0.0, {}, "gymnasium.envs.mujoco.pusher_v5:PusherEnv"});

}  // namespace
}  // namespace rlarena
