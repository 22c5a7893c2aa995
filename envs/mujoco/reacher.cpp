// Reacher-v5: move a two-link arm's fingertip to a random target. Gymnasium
// reacher_v5.py: obs = cos(q0, q1), sin(q0, q1), target xy (qpos[2:4]), joint
// velocities, (fingertip - target)[:2]; reward (after the step, as v5) =
// -reward_dist_weight * |fingertip - target| - reward_control_weight * |a|^2; never
// terminates; reset arm qpos + U(+-0.1), target drawn U(+-0.2)^2 until inside the
// 0.2 circle, arm qvel + U(+-0.005), target at rest.
// MuJoCo 2.2.2 vs >= 2.3.3: no model feature changed meaning.
#include <cmath>

#include "envs/core/registry.h"
#include "envs/mujoco/mujoco_env.h"
#include "envs/mujoco/numpy_sums.h"

namespace rlarena {
namespace {

class Reacher final : public MujocoEnv {
  static constexpr double kArmNoise = 0.1;
  static constexpr double kGoalRange = 0.2;  // goal ~ U(+-0.2)^2 with |goal| < 0.2
  static constexpr double kVelocityNoise = 0.005;

 public:
  Reacher(const EnvSpec& spec, const Kwargs& kw)
      : MujocoEnv(spec, kw, "reacher.xml", 2, 10, camera()),
        reward_dist_weight_(kw.get_double("reward_dist_weight", 1.0)),
        reward_control_weight_(kw.get_double("reward_control_weight", 1.0)),
        fingertip_(body_id("fingertip")),
        target_(body_id("target")) {
    set_info_keys({"reward_dist", "reward_ctrl"});
  }

 private:
  static CameraConfig camera() {
    CameraConfig c;
    c.track_body = 0;
    return c;
  }

  void reset_model() override {
    auto qpos = uniform_noise(init_qpos(), kArmNoise);
    double goal[2];
    do {
      goal[0] = rng().uniform(-kGoalRange, kGoalRange);
      goal[1] = rng().uniform(-kGoalRange, kGoalRange);
    } while (!(std::sqrt(goal[0] * goal[0] + goal[1] * goal[1]) < kGoalRange));
    qpos[2] = goal[0], qpos[3] = goal[1];
    auto qvel = uniform_noise(init_qvel(), kVelocityNoise);
    qvel[2] = qvel[3] = 0;
    set_qpos_qvel(qpos.data(), qvel.data());
  }

  Transition do_step(const void* action, double* info) override {
    const float* a = static_cast<const float*>(action);
    do_simulation(a);
    const double* tip = data()->xpos + 3 * fingertip_;
    const double* target = data()->xpos + 3 * target_;
    const double v[3] = {tip[0] - target[0], tip[1] - target[1], tip[2] - target[2]};
    const double reward_dist = -std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) * reward_dist_weight_;
    const double reward_ctrl = -control_cost(reward_control_weight_, a, model()->nu);
    info[0] = reward_dist, info[1] = reward_ctrl;
    return {reward_dist + reward_ctrl, false};
  }

  // The fingertip and the target move in one plane (z = 0.01 both): the distance is
  // the observation's last two entries.
  bool known_reward(const float*, const float* action, const float* next_obs, double* reward) const override {
    const double dx = next_obs[8], dy = next_obs[9];
    *reward = -std::sqrt(dx * dx + dy * dy) * reward_dist_weight_ -
              control_cost(reward_control_weight_, action, model()->nu);
    return true;
  }

  void observe(void* obs) const override {
    const double* q = data()->qpos;
    const double* tip = data()->xpos + 3 * fingertip_;
    const double* target = data()->xpos + 3 * target_;
    const double o[10] = {std::cos(q[0]), std::cos(q[1]), std::sin(q[0]), std::sin(q[1]), q[2], q[3],
                          data()->qvel[0], data()->qvel[1], tip[0] - target[0], tip[1] - target[1]};
    float* out = static_cast<float*>(obs);
    for (int i = 0; i < 10; ++i) out[i] = static_cast<float>(o[i]);
  }

  double reward_dist_weight_, reward_control_weight_;
  int fingertip_, target_;
};

const bool registered = register_env<Reacher>({"Reacher-v5", 50, -3.75, {}, "gymnasium.envs.mujoco.reacher_v5:ReacherEnv"});

}  // namespace
}  // namespace rlarena
