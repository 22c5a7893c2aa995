// InvertedPendulum-v5: keep a pole upright on a cart. Gymnasium
// inverted_pendulum_v5.py: obs = qpos ++ qvel; terminated when the observation is
// not finite or |pole angle| > 0.2 rad; reward 1 per step, 0 on the terminating
// one; reset qpos and qvel + U(+-reset_noise_scale = 0.01).
// MuJoCo 2.2.2 vs >= 2.3.3: no model feature changed meaning.
#include <cmath>

#include "envs/core/registry.h"
#include "envs/mujoco/mujoco_env.h"

namespace rlarena {
namespace {

class InvertedPendulum final : public MujocoEnv {
  static constexpr double kMaxPoleAngle = 0.2;

 public:
  InvertedPendulum(const EnvSpec& spec, const Kwargs& kw)
      : MujocoEnv(spec, kw, "inverted_pendulum.xml", 2, 4, camera()),
        reset_noise_scale_(kw.get_double("reset_noise_scale", 0.01)) {
    set_info_keys({"reward_survive"});
  }

 private:
  static CameraConfig camera() {
    CameraConfig c;
    c.distance = 2.04, c.track_body = 0;
    return c;
  }

  void reset_model() override {
    reset_noisy(reset_noise_scale_, VelocityNoise::Uniform);
  }

  Transition do_step(const void* action, double* info) override {
    do_simulation(static_cast<const float*>(action));
    const double* q = data()->qpos;
    const double* v = data()->qvel;
    const bool terminated = fallen(q[0], q[1], v[0], v[1]);
    info[0] = terminated ? 0.0 : 1.0;
    return {info[0], terminated};
  }

  // The observation is (qpos, qvel): the env's rule reads straight off it.
  static bool fallen(double x, double angle, double vx, double vangle) {
    const bool finite = std::isfinite(x) && std::isfinite(angle) && std::isfinite(vx) && std::isfinite(vangle);
    return !finite || std::fabs(angle) > kMaxPoleAngle;
  }

 public:
  bool terminal_observation(const float* obs) const override { return fallen(obs[0], obs[1], obs[2], obs[3]); }
  bool known_reward(const float*, const float*, const float* next_obs, double* reward) const override {
    *reward = terminal_observation(next_obs) ? 0.0 : 1.0;
    return true;
  }

 private:
  void observe(void* obs) const override {
    float* o = static_cast<float*>(obs);
    o[0] = static_cast<float>(data()->qpos[0]), o[1] = static_cast<float>(data()->qpos[1]);
    o[2] = static_cast<float>(data()->qvel[0]), o[3] = static_cast<float>(data()->qvel[1]);
  }

  double reset_noise_scale_;
};

const bool registered = register_env<InvertedPendulum>({"InvertedPendulum-v5", 1000, 950.0, {}, "gymnasium.envs.mujoco.inverted_pendulum_v5:InvertedPendulumEnv"});

}  // namespace
}  // namespace rlarena
