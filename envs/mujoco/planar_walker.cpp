#include "envs/mujoco/planar_walker.h"

#include <algorithm>
#include <vector>

#include "envs/mujoco/model.h"
#include "envs/mujoco/numpy_sums.h"

namespace rlarena {

namespace {
constexpr double kObsVelocityClip = 10.0;  // the observation's qvel clip in v5
}

PlanarWalker::PlanarWalker(const EnvSpec& spec, const Kwargs& kw, const Defaults& d)
    : MujocoEnv(spec, kw, d.xml, d.frame_skip, obs_dim(kw, d.xml), d.camera),
      forward_reward_weight_(kw.get_double("forward_reward_weight", 1.0)),
      ctrl_cost_weight_(kw.get_double("ctrl_cost_weight", 1e-3)),
      healthy_reward_(kw.get_double("healthy_reward", 1.0)),
      terminate_when_unhealthy_(kw.get_bool("terminate_when_unhealthy", true)),
      healthy_z_range_(kw.get_range("healthy_z_range", d.healthy_z_range)),
      healthy_angle_range_(kw.get_range("healthy_angle_range", d.healthy_angle_range)),
      reset_noise_scale_(kw.get_double("reset_noise_scale", 5e-3)),
      exclude_positions_(kw.get_bool("exclude_current_positions_from_observation", true)) {
  set_info_keys({"x_position", "z_distance_from_origin", "x_velocity", "reward_forward", "reward_ctrl",
                 "reward_survive"});
}

int64_t PlanarWalker::obs_dim(const Kwargs& kw, const char* xml) {
  const auto m = load_model(kw.get_string("xml_file", xml));
  return m->nq + m->nv - (kw.get_bool("exclude_current_positions_from_observation", true) ? 1 : 0);
}

bool PlanarWalker::healthy(const double* qpos, const double* qvel) const {
  const double z = qpos[1], angle = qpos[2];
  return state_in_range(qpos, qvel) && healthy_z_range_.first < z && z < healthy_z_range_.second &&
         healthy_angle_range_.first < angle && angle < healthy_angle_range_.second;
}

bool PlanarWalker::terminal_observation(const float* obs) const {
  const int nq = model()->nq, nv = model()->nv, skip = exclude_positions_ ? 1 : 0;
  std::vector<double> qpos(nq, 0.0), qvel(nv);
  for (int i = skip; i < nq; ++i) qpos[i] = obs[i - skip];
  for (int i = 0; i < nv; ++i) qvel[i] = obs[nq - skip + i];
  return terminate_when_unhealthy_ && !healthy(qpos.data(), qvel.data());
}

void PlanarWalker::reset_model() {
  reset_noisy(reset_noise_scale_, VelocityNoise::Uniform);
}

MujocoEnv::Transition PlanarWalker::do_step(const void* action, double* info) {
  const float* a = static_cast<const float*>(action);
  const double x_before = data()->qpos[0];
  do_simulation(a);
  const double x_after = data()->qpos[0];
  const double x_velocity = (x_after - x_before) / dt();
  const bool healthy = this->healthy(data()->qpos, data()->qvel);
  const double forward_reward = forward_reward_weight_ * x_velocity;
  const double healthy_reward = healthy ? healthy_reward_ : 0.0;
  const double ctrl_cost = control_cost(ctrl_cost_weight_, a, model()->nu);
  info[0] = x_after;
  info[1] = data()->qpos[1] - init_qpos()[1];
  info[2] = x_velocity, info[3] = forward_reward, info[4] = -ctrl_cost, info[5] = healthy_reward;
  return {(forward_reward + healthy_reward) - ctrl_cost, !healthy && terminate_when_unhealthy_};
}

void PlanarWalker::observe(void* obs) const {
  float* o = static_cast<float*>(obs);
  for (int i = exclude_positions_ ? 1 : 0; i < model()->nq; ++i) *o++ = static_cast<float>(data()->qpos[i]);
  for (int i = 0; i < model()->nv; ++i)
    *o++ = static_cast<float>(std::clamp(data()->qvel[i], -kObsVelocityClip, kObsVelocityClip));
}

}  // namespace rlarena
