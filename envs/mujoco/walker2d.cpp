// Walker2d-v5: walk forward on two legs (Gymnasium walker2d_v5.py; the PlanarWalker
// rules; model with both feet at friction 1.9). Healthy: torso height in
// healthy_z_range (0.8, 2.0) and angle in healthy_angle_range (-1, 1), strict.
// MuJoCo 2.2.2 vs >= 2.3.3: no model feature changed meaning.
#include "envs/core/registry.h"
#include "envs/mujoco/planar_walker.h"

namespace rlarena {
namespace {

class Walker2d final : public PlanarWalker {
 public:
  Walker2d(const EnvSpec& spec, const Kwargs& kw)
      : PlanarWalker(spec, kw, {"walker2d.xml", 4, {0.8, 2.0}, {-1.0, 1.0}, camera()}) {}

 private:
  static CameraConfig camera() {
    CameraConfig c;
    c.distance = 4.0, c.elevation = -20.0, c.lookat = {{0.0, 0.0, 1.15}}, c.track_body = 2;
    return c;
  }
};

const bool registered = register_env<Walker2d>({"Walker2d-v5", 1000, std::nullopt, {}, "gymnasium.envs.mujoco.walker2d_v5:Walker2dEnv"});

}  // namespace
}  // namespace rlarena
