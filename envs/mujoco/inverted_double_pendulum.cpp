// InvertedDoublePendulum-v5: keep two stacked poles upright on a cart. Gymnasium
// inverted_double_pendulum_v5.py: obs = cart x, sin and cos of both hinges,
// clip(qvel, +-10), clip(slider constraint force, +-10); terminated when the tip's
// height (site_xpos z, one substep behind qpos as in v5) is <= 1; reward =
// healthy_reward (10, 0 on the terminating step) - (0.01 x^2 + (z - 2)^2) -
// (1e-3 w1^2 + 5e-3 w2^2); reset qpos + U(+-0.1), qvel + 0.1 N(0,1).
// MuJoCo 2.2.2 vs >= 2.3.3: no model feature changed meaning.
#include <algorithm>
#include <cmath>

#include "envs/core/registry.h"
#include "envs/mujoco/mujoco_env.h"

namespace rlarena {
namespace {

class InvertedDoublePendulum final : public MujocoEnv {
  static constexpr double kClip = 10.0;
  static constexpr double kMinTipHeight = 1.0;

 public:
  InvertedDoublePendulum(const EnvSpec& spec, const Kwargs& kw)
      : MujocoEnv(spec, kw, "inverted_double_pendulum.xml", 5, 9, camera()),
        healthy_reward_(kw.get_double("healthy_reward", 10.0)),
        reset_noise_scale_(kw.get_double("reset_noise_scale", 0.1)) {
    set_info_keys({"reward_survive", "distance_penalty", "velocity_penalty"});
  }

 private:
  static CameraConfig camera() {
    CameraConfig c;
    c.distance = 4.1225, c.lookat = {{0.0, 0.0, 0.1225}}, c.track_body = 0;
    return c;
  }

  void reset_model() override {
    reset_noisy(reset_noise_scale_, VelocityNoise::Normal);
  }

  Transition do_step(const void* action, double* info) override {
    do_simulation(static_cast<const float*>(action));
    const double x = data()->site_xpos[0], z = data()->site_xpos[2];
    const bool terminated = z <= kMinTipHeight;
    const double v1 = data()->qvel[1], v2 = data()->qvel[2];
    const double dist_penalty = 0.01 * (x * x) + (z - 2) * (z - 2);
    const double vel_penalty = 1e-3 * (v1 * v1) + 5e-3 * (v2 * v2);
    const double alive_bonus = terminated ? 0.0 : healthy_reward_;
    info[0] = alive_bonus, info[1] = -dist_penalty, info[2] = -vel_penalty;
    return {(alive_bonus - dist_penalty) - vel_penalty, terminated};
  }

  void observe(void* obs) const override {
    const double* q = data()->qpos;
    float* o = static_cast<float*>(obs);
    *o++ = static_cast<float>(q[0]);
    *o++ = static_cast<float>(std::sin(q[1])), *o++ = static_cast<float>(std::sin(q[2]));
    *o++ = static_cast<float>(std::cos(q[1])), *o++ = static_cast<float>(std::cos(q[2]));
    for (int i = 0; i < 3; ++i) *o++ = static_cast<float>(std::clamp(data()->qvel[i], -kClip, kClip));
    *o++ = static_cast<float>(std::clamp(data()->qfrc_constraint[0], -kClip, kClip));
  }

  double healthy_reward_, reset_noise_scale_;
};

const bool registered = register_env<InvertedDoublePendulum>({"InvertedDoublePendulum-v5", 1000, 9100.0, {}, "gymnasium.envs.mujoco.inverted_double_pendulum_v5:InvertedDoublePendulumEnv"});

}  // namespace
}  // namespace rlarena
