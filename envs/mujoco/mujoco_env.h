// MujocoEnv: the shared base of the MuJoCo tasks, as Gymnasium's MujocoEnv: one
// shared read-only mjModel per model file, an mjData per env, actions written to
// ctrl, frame_skip mj_step calls (so body positions and contact forces are those of
// the last substep, exactly as in v5), state = (qpos, qvel).
// Differences from Gymnasium: observations are float32 (Gymnasium: float64); the
// random streams are ours (same distributions, other numbers); Debian's MuJoCo is
// 2.2.2 where v5 was written against >= 2.3.3 (see README).
// Options every task takes: xml_file, frame_skip, width, height, camera_name.
#pragma once
#include <mujoco/mujoco.h>

#include <memory>
#include <string>
#include <vector>

#include "envs/core/env.h"
#include "envs/mujoco/renderer.h"

namespace rlarena {

class MujocoEnv : public Env {
 public:
  ~MujocoEnv() override;

  const mjModel* model() const { return model_.get(); }
  const mjData* data() const { return data_; }
  int frame_skip() const { return frame_skip_; }
  // Seconds per env step: timestep * frame_skip.
  double dt() const { return model_->opt.timestep * frame_skip_; }

  Array render() override;
  std::unique_ptr<RawPhysics> raw_physics() const override;

 protected:
  // Loads `default_xml` (or the xml_file option) and sets frame_skip (an option too).
  // The observation space is Box(-inf, inf, (obs_dim,)); the action space is the
  // actuators' ctrlrange.
  MujocoEnv(const EnvSpec& spec, const Kwargs& kw, const std::string& default_xml,
            int default_frame_skip, int64_t obs_dim, CameraConfig camera = {});

  mjData* data() { return data_; }
  const std::vector<double>& init_qpos() const { return init_qpos_; }
  const std::vector<double>& init_qvel() const { return init_qvel_; }

  // Sets qpos and qvel and recomputes everything derived from them (mj_forward).
  void set_qpos_qvel(const double* qpos, const double* qvel);
  // ctrl = action, then frame_skip mj_step calls. With `contact_forces`, then
  // mj_rnePostConstraint for cfrc_ext, as Gymnasium does after every step; envs that
  // never read cfrc_ext, cacc or cfrc_int skip it, since nothing they report changes.
  void do_simulation(const float* action, bool contact_forces = false);
  // init + U[-scale, scale) per element, as Gymnasium's reset noise.
  std::vector<double> uniform_noise(const std::vector<double>& init, double scale);
  // init + scale * N(0, 1) per element.
  std::vector<double> normal_noise(const std::vector<double>& init, double scale);
  // The usual v5 reset: qpos = init_qpos + U(+-scale), then qvel = init_qvel plus
  // U(+-scale) or scale * N(0, 1), then set_qpos_qvel.
  enum class VelocityNoise { Uniform, Normal };
  void reset_noisy(double scale, VelocityNoise velocity);
  // Writes qpos[skip:] then qvel as float32; returns the position after them.
  float* put_qpos_qvel(float* out, int skip) const;
  // Id of a body of the model; an Error names the model when it has none.
  int body_id(const char* name) const;

  // Draws the initial qpos/qvel (init_qpos/init_qvel plus noise), then set_qpos_qvel.
  virtual void reset_model() = 0;

 private:
  MujocoEnv(const EnvSpec& spec, const Kwargs& kw, std::shared_ptr<const mjModel> model,
            int default_frame_skip, int64_t obs_dim, CameraConfig camera);
  void do_reset() final;
  void read_state(double* out) const final;
  void write_state(const double* in) final;

  std::shared_ptr<const mjModel> model_;
  mjData* data_ = nullptr;
  int frame_skip_;
  std::vector<double> init_qpos_, init_qvel_;
  int render_width_, render_height_;
  std::string render_camera_;
  CameraConfig camera_config_;
  std::unique_ptr<Renderer> renderer_;
};

// Builds the Box action space of a model's actuators (ctrlrange).
Space actuator_space(const mjModel* m);

}  // namespace rlarena
