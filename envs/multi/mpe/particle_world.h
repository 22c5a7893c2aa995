// ParticleWorld: the physics of PettingZoo's MPE (v3, PettingZoo 1.24.3, _mpe_utils/core.py).
// Round particles on a plane: agents push themselves with their action force, colliding
// particles repel with a softplus contact force, velocities are damped and, for some
// agents, capped. All in double, in PettingZoo's order of operations, so trajectories
// equal PettingZoo's bit for bit from the same state (the build never fuses a*b+c).
#pragma once
#include <array>
#include <vector>

namespace rlarena {

struct Particle {
  double pos[2] = {0, 0}, vel[2] = {0, 0};
  double size = 0.05;       // radius (core.py's Entity default)
  bool movable = false;     // agents move, landmarks stay
  bool collide = true;
  double max_speed = 0;     // 0: no cap
  double sensitivity = 5.0;  // action scale: the agent's accel, else 5.0 (simple_env.py)
  bool adversary = false;
};

class ParticleWorld {
 public:
  // core.py's World constants.
  static constexpr double kDt = 0.1;
  static constexpr double kDamping = 0.25;
  static constexpr double kContactForce = 1e2;
  static constexpr double kContactMargin = 1e-3;

  std::vector<Particle> agents, landmarks;

  // One World.step with each agent's action force u[i] (already scaled by its sensitivity).
  void step(const std::vector<std::array<double, 2>>& u);

  // The distance between two particles, as numpy computes sqrt(sum(square(a - b))).
  static double distance(const Particle& a, const Particle& b);
  // is_collision of the scenarios: closer than the sum of the radii (strict).
  static bool touching(const Particle& a, const Particle& b) { return distance(a, b) < a.size + b.size; }

 private:
  std::vector<std::array<double, 2>> force_;
};

}  // namespace rlarena
