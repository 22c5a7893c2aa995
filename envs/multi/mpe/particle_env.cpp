#include "envs/multi/mpe/particle_env.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/error.h"

namespace rlarena {

namespace {

EnvSpec with_max_cycles(EnvSpec spec, const Kwargs& kw) {
  const int64_t cycles = kw.get_int("max_cycles", 25);
  if (cycles < 1) throw Error(spec.id + ": max_cycles=" + std::to_string(cycles) + " must be at least 1");
  spec.max_episode_steps = cycles;
  return spec;
}

std::vector<Space> obs_spaces(const std::vector<int64_t>& sizes) {
  std::vector<Space> out;
  for (int64_t n : sizes) out.push_back(Space::box(-INFINITY, INFINITY, {n}));
  return out;
}

}  // namespace

std::vector<std::string> numbered(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + "_" + std::to_string(i));
  return out;
}

void place_uniformly(std::vector<Particle>& particles, double limit, Rng& rng) {
  for (Particle& p : particles)
    for (double& v : p.pos) v = rng.uniform(-limit, limit);
}

void append_own_view(std::vector<double>& out, const ParticleWorld& world, int agent) {
  const Particle& me = world.agents[agent];
  append(out, me.vel);
  append(out, me.pos);
  for (const Particle& l : world.landmarks) append_relative(out, l, me);
  for (size_t j = 0; j < world.agents.size(); ++j)
    if (static_cast<int>(j) != agent) append_relative(out, world.agents[j], me);
}

void append(std::vector<double>& out, const double* v) { out.insert(out.end(), v, v + 2); }

void append_relative(std::vector<double>& out, const Particle& of, const Particle& to) {
  out.push_back(of.pos[0] - to.pos[0]);
  out.push_back(of.pos[1] - to.pos[1]);
}

ParticleEnv::ParticleEnv(const EnvSpec& spec, const Kwargs& kw, ParticleWorld world, std::vector<std::string> agents,
                         const std::vector<int64_t>& obs_sizes, std::vector<std::string> extra_state)
    : MultiAgentEnv(with_max_cycles(spec, kw), agents, obs_spaces(obs_sizes),
                    std::vector<Space>(agents.size(), kw.get_bool("continuous_actions", false)
                                                          ? Space::box(0, 1, {5})
                                                          : Space::discrete(5))),
      world_(std::move(world)),
      continuous_(kw.get_bool("continuous_actions", false)),
      extra_state_(std::move(extra_state)),
      u_(agents.size()) {}

void ParticleEnv::do_reset() {
  for (auto* group : {&world_.agents, &world_.landmarks})
    for (Particle& p : *group) p.vel[0] = p.vel[1] = 0;
  draw_state();
}

bool ParticleEnv::do_step(const void* const* actions, double* rewards) {
  for (size_t i = 0; i < u_.size(); ++i) {
    double u[2] = {0.0, 0.0};
    if (continuous_) {
      // ClipOutOfBoundsWrapper's clip, then the float32 differences of 1.24.3
      // (x: right - left, y: up - down; the no-op slot is ignored).
      const float* a = static_cast<const float*>(actions[i]);
      float c[5];
      for (int k = 0; k < 5; ++k) c[k] = std::clamp(a[k], 0.f, 1.f);
      u[0] += static_cast<double>(c[2] - c[1]);
      u[1] += static_cast<double>(c[4] - c[3]);
    } else {
      switch (*static_cast<const int64_t*>(actions[i])) {
        case 1: u[0] = -1.0; break;
        case 2: u[0] = +1.0; break;
        case 3: u[1] = -1.0; break;
        case 4: u[1] = +1.0; break;
        default: break;
      }
    }
    const double s = world_.agents[i].sensitivity;
    u_[i] = {u[0] * s, u[1] * s};
  }
  world_.step(u_);
  this->rewards(rewards);
  return false;  // MPE episodes end by truncation at max_cycles only
}

void ParticleEnv::observe(int agent, void* obs) const {
  scratch_.clear();
  observe(agent, scratch_);
  if (static_cast<int64_t>(scratch_.size()) != observation_space(agent).numel())
    throw std::logic_error(id() + ": agent " + agents()[agent] + "'s observation has " +
                           std::to_string(scratch_.size()) + " numbers, its space " +
                           std::to_string(observation_space(agent).numel()));
  float* o = static_cast<float*>(obs);
  for (size_t k = 0; k < scratch_.size(); ++k) o[k] = static_cast<float>(scratch_[k]);
}

std::vector<std::string> ParticleEnv::state_names() const {
  std::vector<std::string> names;
  for (const auto& name : agents())
    for (const char* v : {"_x", "_y", "_vx", "_vy"}) names.push_back(name + v);
  for (size_t l = 0; l < world_.landmarks.size(); ++l)
    for (const char* v : {"_x", "_y", "_vx", "_vy"}) names.push_back("landmark_" + std::to_string(l) + v);
  names.insert(names.end(), extra_state_.begin(), extra_state_.end());
  return names;
}

void ParticleEnv::read_state(double* out) const {
  for (const auto* group : {&world_.agents, &world_.landmarks})
    for (const Particle& p : *group) *out++ = p.pos[0], *out++ = p.pos[1], *out++ = p.vel[0], *out++ = p.vel[1];
  read_extra(out);
}

void ParticleEnv::write_state(const double* in) {
  for (auto* group : {&world_.agents, &world_.landmarks})
    for (Particle& p : *group) p.pos[0] = *in++, p.pos[1] = *in++, p.vel[0] = *in++, p.vel[1] = *in++;
  write_extra(in);
}

}  // namespace rlarena
