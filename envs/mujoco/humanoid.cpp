// Humanoid-v5: walk forward without falling. Gymnasium humanoid_v5.py: velocity of
// the mass centre (sum of body_mass * xipos / total mass, one substep behind qpos as
// in v5); reward = forward_reward_weight (1.25) * x velocity + healthy_reward (5,
// while healthy) - ctrl_cost_weight (0.1) * |ctrl|^2 - contact cost, where the
// contact cost is contact_cost_weight (5e-7) * |cfrc_ext|^2 clipped to
// contact_cost_range (-inf, 10); healthy = torso z in healthy_z_range (1, 2), strict;
// obs = qpos[2:] ++ qvel ++ cinert[1:] ++ cvel[1:] ++ qfrc_actuator[6:] ++
// cfrc_ext[1:] (each part optional); reset qpos and qvel + U(+-0.01).
// MuJoCo 2.2.2 vs >= 2.3.3: no model feature changed meaning; cinert, cvel,
// qfrc_actuator and cfrc_ext have the same layout.
#include <algorithm>
#include <cmath>

#include "envs/core/registry.h"
#include "envs/mujoco/model.h"
#include "envs/mujoco/mujoco_env.h"
#include "envs/mujoco/numpy_sums.h"

namespace rlarena {
namespace {

class Humanoid final : public MujocoEnv {
  static constexpr int kFreeJointDofs = 6;  // qfrc_actuator[6:] skips the root's

 public:
  Humanoid(const EnvSpec& spec, const Kwargs& kw)
      : MujocoEnv(spec, kw, "humanoid.xml", 5, obs_dim(kw), camera()),
        forward_reward_weight_(kw.get_double("forward_reward_weight", 1.25)),
        ctrl_cost_weight_(kw.get_double("ctrl_cost_weight", 0.1)),
        contact_cost_weight_(kw.get_double("contact_cost_weight", 5e-7)),
        contact_cost_range_(kw.get_range("contact_cost_range", {-INFINITY, 10.0})),
        healthy_reward_(kw.get_double("healthy_reward", 5.0)),
        terminate_when_unhealthy_(kw.get_bool("terminate_when_unhealthy", true)),
        healthy_z_range_(kw.get_range("healthy_z_range", {1.0, 2.0})),
        reset_noise_scale_(kw.get_double("reset_noise_scale", 1e-2)),
        exclude_positions_(kw.get_bool("exclude_current_positions_from_observation", true)),
        include_cinert_(kw.get_bool("include_cinert_in_observation", true)),
        include_cvel_(kw.get_bool("include_cvel_in_observation", true)),
        include_qfrc_actuator_(kw.get_bool("include_qfrc_actuator_in_observation", true)),
        include_cfrc_ext_(kw.get_bool("include_cfrc_ext_in_observation", true)) {
    total_mass_ = numpy_sum(model()->body_mass, model()->nbody);
    std::vector<std::string> keys = {"x_position", "y_position"};
    for (int t = 0; t < model()->ntendon; ++t) keys.push_back("tendon_length_" + std::to_string(t));
    for (int t = 0; t < model()->ntendon; ++t) keys.push_back("tendon_velocity_" + std::to_string(t));
    for (const char* k : {"distance_from_origin", "x_velocity", "y_velocity", "reward_survive",
                          "reward_forward", "reward_ctrl", "reward_contact"})
      keys.push_back(k);
    set_info_keys(keys);
  }

 private:
  static CameraConfig camera() {
    CameraConfig c;
    c.distance = 4.0, c.elevation = -20.0, c.lookat = {{0.0, 0.0, 2.0}}, c.track_body = 1;
    return c;
  }

  static int64_t obs_dim(const Kwargs& kw) {
    const auto m = load_model(kw.get_string("xml_file", "humanoid.xml"));
    const int bodies = m->nbody - 1;
    return m->nq - (kw.get_bool("exclude_current_positions_from_observation", true) ? 2 : 0) + m->nv +
           (kw.get_bool("include_cinert_in_observation", true) ? 10 * bodies : 0) +
           (kw.get_bool("include_cvel_in_observation", true) ? 6 * bodies : 0) +
           (kw.get_bool("include_qfrc_actuator_in_observation", true) ? m->nv - kFreeJointDofs : 0) +
           (kw.get_bool("include_cfrc_ext_in_observation", true) ? 6 * bodies : 0);
  }

  // Gymnasium's mass_center: body-order sum of mass * xipos over the total mass.
  void mass_center(double* xy) const {
    double sum[2] = {0, 0};
    for (int b = 0; b < model()->nbody; ++b)
      for (int k = 0; k < 2; ++k) sum[k] += model()->body_mass[b] * data()->xipos[3 * b + k];
    xy[0] = sum[0] / total_mass_, xy[1] = sum[1] / total_mass_;
  }

  void reset_model() override {
    reset_noisy(reset_noise_scale_, VelocityNoise::Uniform);
  }

  Transition do_step(const void* action, double* info) override {
    const float* a = static_cast<const float*>(action);
    double before[2], after[2];
    mass_center(before);
    do_simulation(a, /*contact_forces=*/true);
    mass_center(after);
    const double x_velocity = (after[0] - before[0]) / dt(), y_velocity = (after[1] - before[1]) / dt();
    const bool healthy = healthy_z_range_.first < data()->qpos[2] && data()->qpos[2] < healthy_z_range_.second;
    const double forward_reward = forward_reward_weight_ * x_velocity;
    const double healthy_reward = healthy ? healthy_reward_ : 0.0;
    // Gymnasium squares data.ctrl (the action widened to float64), not the action.
    const double ctrl_cost = ctrl_cost_weight_ * numpy_square_sum(data()->ctrl, model()->nu);
    const double contact_cost =
        std::clamp(contact_cost_weight_ * numpy_square_sum(data()->cfrc_ext, 6 * model()->nbody),
                   contact_cost_range_.first, contact_cost_range_.second);
    const double x = data()->qpos[0], y = data()->qpos[1];
    double* out = info;
    *out++ = x, *out++ = y;
    for (int t = 0; t < model()->ntendon; ++t) *out++ = data()->ten_length[t];
    for (int t = 0; t < model()->ntendon; ++t) *out++ = data()->ten_velocity[t];
    *out++ = std::sqrt(x * x + y * y);
    *out++ = x_velocity, *out++ = y_velocity, *out++ = healthy_reward, *out++ = forward_reward;
    *out++ = -ctrl_cost, *out++ = -contact_cost;
    return {(forward_reward + healthy_reward) - (ctrl_cost + contact_cost), !healthy && terminate_when_unhealthy_};
  }

  void observe(void* obs) const override {
    const mjModel* m = model();
    const mjData* d = data();
    float* o = put_qpos_qvel(static_cast<float*>(obs), exclude_positions_ ? 2 : 0);
    const auto put = [&o](const double* from, int n) {
      for (int i = 0; i < n; ++i) *o++ = static_cast<float>(from[i]);
    };
    if (include_cinert_) put(d->cinert + 10, 10 * (m->nbody - 1));
    if (include_cvel_) put(d->cvel + 6, 6 * (m->nbody - 1));
    if (include_qfrc_actuator_) put(d->qfrc_actuator + kFreeJointDofs, m->nv - kFreeJointDofs);
    if (include_cfrc_ext_) put(d->cfrc_ext + 6, 6 * (m->nbody - 1));
  }

  double forward_reward_weight_, ctrl_cost_weight_, contact_cost_weight_;
  std::pair<double, double> contact_cost_range_;
  double healthy_reward_;
  bool terminate_when_unhealthy_;
  std::pair<double, double> healthy_z_range_;
  double reset_noise_scale_;
  bool exclude_positions_, include_cinert_, include_cvel_, include_qfrc_actuator_, include_cfrc_ext_;
  double total_mass_ = 0;
};

const bool registered = register_env<Humanoid>({"Humanoid-v5", 1000, std::nullopt, {}, "gymnasium.envs.mujoco.humanoid_v5:HumanoidEnv"});

}  // namespace
}  // namespace rlarena
