// Ant-v5: walk forward on four legs. Gymnasium ant_v5.py: velocity from the main
// body's frame position (xpos, one substep behind qpos, as in v5); reward = forward
// weight * x velocity + healthy_reward (while healthy) - ctrl_cost_weight * |a|^2 -
// contact_cost_weight * |clip(cfrc_ext, contact_force_range)|^2; healthy = state
// finite and torso z within healthy_z_range (0.2, 1.0) inclusive; obs = qpos[2:] ++
// qvel ++ clipped cfrc_ext[1:] (include_cfrc_ext_in_observation); reset qpos +
// U(+-0.1), qvel + 0.1 N(0,1).
// MuJoCo 2.2.2 vs >= 2.3.3: no model feature changed meaning; contact forces come
// from the same mj_rnePostConstraint call.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/mujoco/model.h"
#include "envs/mujoco/mujoco_env.h"
#include "envs/mujoco/numpy_sums.h"

namespace rlarena {
namespace {

class Ant final : public MujocoEnv {
 public:
  Ant(const EnvSpec& spec, const Kwargs& kw)
      : MujocoEnv(spec, kw, "ant.xml", 5, obs_dim(kw), CameraConfig::at(4.0)),
        forward_reward_weight_(kw.get_double("forward_reward_weight", 1.0)),
        ctrl_cost_weight_(kw.get_double("ctrl_cost_weight", 0.5)),
        contact_cost_weight_(kw.get_double("contact_cost_weight", 5e-4)),
        healthy_reward_(kw.get_double("healthy_reward", 1.0)),
        terminate_when_unhealthy_(kw.get_bool("terminate_when_unhealthy", true)),
        healthy_z_range_(kw.get_range("healthy_z_range", {0.2, 1.0})),
        contact_force_range_(kw.get_range("contact_force_range", {-1.0, 1.0})),
        reset_noise_scale_(kw.get_double("reset_noise_scale", 0.1)),
        exclude_positions_(kw.get_bool("exclude_current_positions_from_observation", true)),
        include_cfrc_ext_(kw.get_bool("include_cfrc_ext_in_observation", true)) {
    // main_body: a body id or name, as in v5.
    const std::string main_body = kw.get_string("main_body", "1");
    if (!main_body.empty() && std::all_of(main_body.begin(), main_body.end(), ::isdigit)) {
      const long long id = main_body.size() > 9 ? model()->nbody : std::strtoll(main_body.c_str(), nullptr, 10);
      main_body_ = static_cast<int>(std::min<long long>(id, model()->nbody));
      if (main_body_ >= model()->nbody)
        throw Error(spec.id + ": main_body=" + main_body + " but the model has " +
                    std::to_string(model()->nbody) + " bodies; give a body id or name");
    } else {
      main_body_ = body_id(main_body.c_str());
    }
    contact_forces_.resize(6 * model()->nbody);
    set_info_keys({"x_position", "y_position", "distance_from_origin", "x_velocity", "y_velocity",
                   "reward_forward", "reward_ctrl", "reward_contact", "reward_survive"});
  }

 private:
  static int64_t obs_dim(const Kwargs& kw) {
    const auto m = load_model(kw.get_string("xml_file", "ant.xml"));
    return m->nq - (kw.get_bool("exclude_current_positions_from_observation", true) ? 2 : 0) + m->nv +
           (kw.get_bool("include_cfrc_ext_in_observation", true) ? 6 * (m->nbody - 1) : 0);
  }

  bool is_healthy() const { return healthy(data()->qpos, data()->qvel, model()->nq, model()->nv); }
  bool healthy(const double* qpos, const double* qvel, int nq, int nv) const {
    for (int i = 0; i < nq; ++i)
      if (!std::isfinite(qpos[i])) return false;
    for (int i = 0; i < nv; ++i)
      if (!std::isfinite(qvel[i])) return false;
    const double z = qpos[2];
    return healthy_z_range_.first <= z && z <= healthy_z_range_.second;
  }

 public:
  // The healthy rule on the observation's positions and velocities (x and y excluded).
  bool terminal_observation(const float* obs) const override {
    const int nq = model()->nq, nv = model()->nv, skip = exclude_positions_ ? 2 : 0;
    std::vector<double> qpos(nq, 0.0), qvel(nv);
    for (int i = skip; i < nq; ++i) qpos[i] = obs[i - skip];
    for (int i = 0; i < nv; ++i) qvel[i] = obs[nq - skip + i];
    return terminate_when_unhealthy_ && !healthy(qpos.data(), qvel.data(), nq, nv);
  }

 private:

  void clip_contact_forces() {
    for (size_t i = 0; i < contact_forces_.size(); ++i)
      contact_forces_[i] = std::clamp(data()->cfrc_ext[i], contact_force_range_.first, contact_force_range_.second);
  }

  void reset_model() override {
    reset_noisy(reset_noise_scale_, VelocityNoise::Normal);
    clip_contact_forces();  // zeros: mj_forward leaves cfrc_ext cleared by mj_resetData
  }

  Transition do_step(const void* action, double* info) override {
    const float* a = static_cast<const float*>(action);
    const double* body = data()->xpos + 3 * main_body_;
    const double x_before = body[0], y_before = body[1];
    do_simulation(a, /*contact_forces=*/true);
    const double x_velocity = (body[0] - x_before) / dt(), y_velocity = (body[1] - y_before) / dt();
    clip_contact_forces();
    const bool healthy = is_healthy();
    const double forward_reward = x_velocity * forward_reward_weight_;
    const double healthy_reward = healthy ? healthy_reward_ : 0.0;
    const double ctrl_cost = control_cost(ctrl_cost_weight_, a, model()->nu);
    const double contact_cost =
        contact_cost_weight_ * numpy_square_sum(contact_forces_.data(), contact_forces_.size());
    const double x = data()->qpos[0], y = data()->qpos[1];
    info[0] = x, info[1] = y, info[2] = std::sqrt(x * x + y * y);
    info[3] = x_velocity, info[4] = y_velocity, info[5] = forward_reward;
    info[6] = -ctrl_cost, info[7] = -contact_cost, info[8] = healthy_reward;
    return {(forward_reward + healthy_reward) - (ctrl_cost + contact_cost), !healthy && terminate_when_unhealthy_};
  }

  void observe(void* obs) const override {
    float* o = put_qpos_qvel(static_cast<float*>(obs), exclude_positions_ ? 2 : 0);
    if (include_cfrc_ext_)
      for (size_t i = 6; i < contact_forces_.size(); ++i) *o++ = static_cast<float>(contact_forces_[i]);
  }

  double forward_reward_weight_, ctrl_cost_weight_, contact_cost_weight_, healthy_reward_;
  bool terminate_when_unhealthy_;
  std::pair<double, double> healthy_z_range_, contact_force_range_;
  double reset_noise_scale_;
  bool exclude_positions_, include_cfrc_ext_;
  int main_body_ = 1;
  std::vector<double> contact_forces_;  // clip(cfrc_ext), [nbody * 6]
};

const bool registered = register_env<Ant>({"Ant-v5", 1000, 6000.0, {}, "gymnasium.envs.mujoco.ant_v5:AntEnv"});

}  // namespace
}  // namespace rlarena
