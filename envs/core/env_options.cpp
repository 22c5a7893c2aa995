#include "envs/core/env_options.h"

#include <map>

#include "envs/core/registry.h"

namespace rlarena {

std::string option_meaning(const std::string& name) {
  // Gymnasium's documented meaning of each keyword argument, in our words.
  static const std::map<std::string, std::string> meanings = {
      {"max_episode_steps", "time limit: the episode is truncated after this many steps (0: none)"},
      // every env (envs/core/preprocessing.h)
      {"action_repeat", "every env: repeat each action this many steps, rewards summed (RL Zoo's FrameSkip)"},
      {"resize", "every env with image observations: shrink frames to HEIGHT,WIDTH (OpenCV's INTER_AREA)"},
      {"grayscale", "every env with RGB observations: one grey channel (Gymnasium's GrayscaleObservation)"},
      {"frame_stack", "every env: stack the last N observations along the last axis (SB3's VecFrameStack)"},
      // classic control
      {"sutton_barto_reward", "CartPole: reward 0 per step and -1 on failure (Sutton and Barto's), not +1 per step"},
      {"kinematics_integrator", "CartPole: euler or semi-implicit euler"},
      {"g", "Pendulum: gravity (m/s^2)"},
      {"goal_velocity", "MountainCar: velocity the car must have at the flag to finish"},
      {"book_or_nips", "Acrobot: dynamics of Sutton and Barto's book or of the NIPS paper"},
      {"torque_noise_max", "Acrobot: uniform noise added to the torque, in [-x, x]"},
      // Box2D
      {"continuous", "LunarLander: continuous engine throttles instead of 4 discrete actions"},
      {"gravity", "LunarLander: gravity along y, between -12 and 0"},
      {"enable_wind", "LunarLander: wind and turbulence push the lander"},
      {"wind_power", "LunarLander: wind strength, 0 to 20"},
      {"turbulence_power", "LunarLander: rotational turbulence strength, 0 to 2"},
      {"hardcore", "BipedalWalker: stumps, pits and stairs on the terrain"},
      {"lap_complete_percent", "CarRacing: share of tiles to visit for a lap to count"},
      {"domain_randomize", "CarRacing: random background and track colours each reset"},
      // MuJoCo
      {"xml_file", "MuJoCo model: one of ours by name, or a path to your own MJCF file"},
      {"frame_skip", "MuJoCo: physics steps per env step (dt = frame_skip * the model's timestep)"},
      {"width", "render: frame width in pixels"},
      {"height", "render: frame height in pixels"},
      {"camera_name", "render: the model's camera to render from (empty: the default tracking view)"},
      {"forward_reward_weight", "weight of the forward-velocity reward"},
      {"ctrl_cost_weight", "weight of the control cost (sum of squared actions)"},
      {"contact_cost_weight", "weight of the contact-force cost"},
      {"contact_cost_range", "clip range of the contact cost"},
      {"contact_force_range", "clip range of the external contact forces"},
      {"healthy_reward", "reward per step while healthy"},
      {"terminate_when_unhealthy", "end the episode (terminated) once unhealthy"},
      {"healthy_z_range", "torso heights (low,high) that count as healthy"},
      {"healthy_angle_range", "torso angles (low,high) that count as healthy"},
      {"healthy_state_range", "range every state element must stay in to be healthy"},
      {"reset_noise_scale", "scale of the random perturbation of the initial position and velocity"},
      {"exclude_current_positions_from_observation", "leave the x (and y) position of the torso out of the observation"},
      {"include_cinert_in_observation", "Humanoid: include the bodies' inertia terms (cinert)"},
      {"include_cvel_in_observation", "Humanoid: include the bodies' velocities (cvel)"},
      {"include_qfrc_actuator_in_observation", "Humanoid: include the actuator forces (qfrc_actuator)"},
      {"include_cfrc_ext_in_observation", "include the external contact forces (cfrc_ext)"},
      {"main_body", "Ant: the body whose motion is the forward reward (index or name)"},
      {"reward_dist_weight", "weight of the distance-to-target reward"},
      {"reward_control_weight", "weight of the control cost"},
      {"reward_near_weight", "Pusher: weight of the fingertip-to-object distance reward"},
  };
  const auto it = meanings.find(name);
  return it == meanings.end() ? std::string() : it->second;
}

std::vector<EnvOption> env_options(const std::string& id) {
  const Registry& registry = Registry::global();
  const EnvSpec& spec = registry.spec(id);
  // The env reads every option it has while it is made; defaults come from its getters.
  const Kwargs options = spec.default_kwargs;
  registry.make_with(id, options);
  std::vector<EnvOption> out;
  for (const auto& [name, fallback] : options.defaults()) {
    // An id that sets an option (BipedalWalkerHardcore-v3's hardcore) defaults to its value.
    const std::string value = spec.default_kwargs.has(name) ? spec.default_kwargs.items().at(name) : fallback;
    out.push_back({name, name == "max_episode_steps" ? std::to_string(spec.max_episode_steps) : value,
                   option_meaning(name)});
  }
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"action_repeat", "1"}, {"resize", ""}, {"grayscale", "false"}, {"frame_stack", "1"}})
    out.push_back({name, value, option_meaning(name)});
  return out;
}

}  // namespace rlarena
