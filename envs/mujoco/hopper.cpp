// Hopper-v5: hop forward on one leg (Gymnasium hopper_v5.py; the PlanarWalker
// rules). Healthy: qpos[2:] ++ qvel within healthy_state_range (-100, 100), torso
// height in healthy_z_range (0.7, inf), torso angle in healthy_angle_range
// (-0.2, 0.2), all strict. MuJoCo 2.2.2 vs >= 2.3.3: no model feature changed meaning.
#include "envs/core/registry.h"
#include "envs/mujoco/planar_walker.h"

namespace rlarena {
namespace {

class Hopper final : public PlanarWalker {
 public:
  Hopper(const EnvSpec& spec, const Kwargs& kw)
      : PlanarWalker(spec, kw, {"hopper.xml", 4, {0.7, INFINITY}, {-0.2, 0.2}, camera()}),
        healthy_state_range_(kw.get_range("healthy_state_range", {-100.0, 100.0})) {}

 private:
  static CameraConfig camera() {
    CameraConfig c;
    c.distance = 3.0, c.elevation = -20.0, c.lookat = {{0.0, 0.0, 1.15}}, c.track_body = 2;
    return c;
  }
  bool state_in_range(const double* qpos, const double* qvel) const override {
    const auto in = [&](double v) { return healthy_state_range_.first < v && v < healthy_state_range_.second; };
    for (int i = 2; i < model()->nq; ++i)
      if (!in(qpos[i])) return false;
    for (int i = 0; i < model()->nv; ++i)
      if (!in(qvel[i])) return false;
    return true;
  }

  std::pair<double, double> healthy_state_range_;
};

const bool registered = register_env<Hopper>({"Hopper-v5", 1000, 3800.0, {}, "gymnasium.envs.mujoco.hopper_v5:HopperEnv"});

}  // namespace
}  // namespace rlarena
