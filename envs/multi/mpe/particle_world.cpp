#include "envs/multi/mpe/particle_world.h"

#include <cmath>

namespace rlarena {

namespace {

// numpy's logaddexp(0, y) as its loop computes it (log1p and exp of the C library).
double softplus(double y) {
  if (y == 0) return 0.6931471805599453;  // ln 2
  if (y < 0) return 0.0 + std::log1p(std::exp(y));
  return y + std::log1p(std::exp(-y));
}

}  // namespace

double ParticleWorld::distance(const Particle& a, const Particle& b) {
  const double dx = a.pos[0] - b.pos[0], dy = a.pos[1] - b.pos[1];
  return std::sqrt(dx * dx + dy * dy);
}

void ParticleWorld::step(const std::vector<std::array<double, 2>>& u) {
  const size_t n_agents = agents.size(), n = n_agents + landmarks.size();
  auto entity = [&](size_t i) -> Particle& { return i < n_agents ? agents[i] : landmarks[i - n_agents]; };
  // Action forces: u plus a noise of 0.0 (no u_noise in these scenarios).
  force_.assign(n_agents, {0.0, 0.0});
  for (size_t i = 0; i < n_agents; ++i)
    for (int k = 0; k < 2; ++k) force_[i][k] = u[i][k] + 0.0;
  // Contact forces between every colliding pair, near or far: the softplus never
  // quite reaches 0, and its tiny forces show in the observations.
  for (size_t a = 0; a < n; ++a)
    for (size_t b = a + 1; b < n; ++b) {
      const Particle& pa = entity(a);
      const Particle& pb = entity(b);
      if (!pa.collide || !pb.collide || (!pa.movable && !pb.movable)) continue;
      const double delta[2] = {pa.pos[0] - pb.pos[0], pa.pos[1] - pb.pos[1]};
      const double dist = std::sqrt(delta[0] * delta[0] + delta[1] * delta[1]);
      const double dist_min = pa.size + pb.size;
      const double penetration = softplus(-(dist - dist_min) / kContactMargin) * kContactMargin;
      for (int k = 0; k < 2; ++k) {
        const double f = ((kContactForce * delta[k]) / dist) * penetration;
        if (pa.movable) force_[a][k] = f + force_[a][k];
        if (pb.movable) force_[b][k] = -f + force_[b][k];
      }
    }
  // Integration, v3's order: the position moves with the velocity from before the step.
  for (size_t i = 0; i < n_agents; ++i) {
    Particle& p = agents[i];
    if (!p.movable) continue;
    for (int k = 0; k < 2; ++k) p.pos[k] = p.pos[k] + p.vel[k] * kDt;
    for (int k = 0; k < 2; ++k) p.vel[k] = p.vel[k] * (1 - kDamping);
    for (int k = 0; k < 2; ++k) p.vel[k] = p.vel[k] + (force_[i][k] / 1.0) * kDt;  // mass 1
    if (p.max_speed > 0) {
      const double speed = std::sqrt(p.vel[0] * p.vel[0] + p.vel[1] * p.vel[1]);
      if (speed > p.max_speed) {
        const double norm = std::sqrt(p.vel[0] * p.vel[0] + p.vel[1] * p.vel[1]);
        for (int k = 0; k < 2; ++k) p.vel[k] = (p.vel[k] / norm) * p.max_speed;
      }
    }
  }
}

}  // namespace rlarena
