#include "envs/mujoco/mujoco_env.h"

#include <cmath>

#include "common/error.h"
#include "envs/mujoco/model.h"

namespace rlarena {

Space actuator_space(const mjModel* m) {
  std::vector<double> low(m->nu), high(m->nu);
  for (int i = 0; i < m->nu; ++i) {
    low[i] = m->actuator_ctrlrange[2 * i];
    high[i] = m->actuator_ctrlrange[2 * i + 1];
  }
  return Space::box(low, high, {m->nu});
}

namespace {

std::shared_ptr<const mjModel> load_from(const Kwargs& kw, const std::string& default_xml) {
  return load_model(kw.get_string("xml_file", default_xml));
}

// "qpos:rootx", ..., "qvel:rootx", ...: one name per qpos entry, then per qvel entry.
std::vector<std::string> state_names_of(const mjModel* m) {
  std::vector<std::string> qpos(m->nq), qvel(m->nv);
  for (int j = 0; j < m->njnt; ++j) {
    const char* given = mj_id2name(m, mjOBJ_JOINT, j);
    const std::string name = given ? given : "joint" + std::to_string(j);
    const int type = m->jnt_type[j];
    const int np = type == mjJNT_FREE ? 7 : type == mjJNT_BALL ? 4 : 1;
    const int nv = type == mjJNT_FREE ? 6 : type == mjJNT_BALL ? 3 : 1;
    for (int k = 0; k < np; ++k)
      qpos[m->jnt_qposadr[j] + k] = "qpos:" + name + (np > 1 ? "_" + std::to_string(k) : "");
    for (int k = 0; k < nv; ++k)
      qvel[m->jnt_dofadr[j] + k] = "qvel:" + name + (nv > 1 ? "_" + std::to_string(k) : "");
  }
  qpos.insert(qpos.end(), qvel.begin(), qvel.end());
  return qpos;
}

// mj_step on a model of our own with random controls: the engine without the env.
class MujocoRawPhysics final : public RawPhysics {
 public:
  MujocoRawPhysics(std::shared_ptr<const mjModel> model, int frame_skip)
      : model_(std::move(model)), data_(mj_makeData(model_.get())), frame_skip_(frame_skip), rng_(0) {}
  ~MujocoRawPhysics() override { mj_deleteData(data_); }
  void reset() override { mj_resetData(model_.get(), data_); }
  void step(bool new_controls) override {
    const mjModel* m = model_.get();
    if (new_controls)
      for (int i = 0; i < m->nu; ++i)
        data_->ctrl[i] = rng_.uniform(m->actuator_ctrlrange[2 * i], m->actuator_ctrlrange[2 * i + 1]);
    mj_step(m, data_);
  }
  int steps_per_env_step() const override { return frame_skip_; }
  std::string engine() const override { return "mj_step"; }

 private:
  std::shared_ptr<const mjModel> model_;
  mjData* data_;
  int frame_skip_;
  Rng rng_;
};

}  // namespace

MujocoEnv::MujocoEnv(const EnvSpec& spec, const Kwargs& kw, const std::string& default_xml,
                     int default_frame_skip, int64_t obs_dim, CameraConfig camera)
    : MujocoEnv(spec, kw, load_from(kw, default_xml), default_frame_skip, obs_dim, camera) {}

MujocoEnv::MujocoEnv(const EnvSpec& spec, const Kwargs& kw, std::shared_ptr<const mjModel> model,
                     int default_frame_skip, int64_t obs_dim, CameraConfig camera)
    : Env(spec, Space::box(-INFINITY, INFINITY, {obs_dim}), actuator_space(model.get())),
      model_(std::move(model)),
      frame_skip_(static_cast<int>(kw.get_int("frame_skip", default_frame_skip))),
      render_width_(static_cast<int>(kw.get_int("width", 480))),
      render_height_(static_cast<int>(kw.get_int("height", 480))),
      render_camera_(kw.get_string("camera_name", "")),
      camera_config_(camera) {
  if (frame_skip_ < 1)
    throw Error(spec.id + ": frame_skip=" + std::to_string(frame_skip_) + "; give 1 or more");
  data_ = mj_makeData(model_.get());
  if (!data_) throw Error(spec.id + ": MuJoCo could not allocate mjData");
  init_qpos_.assign(data_->qpos, data_->qpos + model_->nq);
  init_qvel_.assign(data_->qvel, data_->qvel + model_->nv);
  set_state_names(state_names_of(model_.get()));
}

MujocoEnv::~MujocoEnv() { mj_deleteData(data_); }

void MujocoEnv::do_reset() {
  mj_resetData(model_.get(), data_);
  reset_model();
}

void MujocoEnv::set_qpos_qvel(const double* qpos, const double* qvel) {
  std::copy(qpos, qpos + model_->nq, data_->qpos);
  std::copy(qvel, qvel + model_->nv, data_->qvel);
  mj_forward(model_.get(), data_);
}

void MujocoEnv::do_simulation(const float* action, bool contact_forces) {
  const mjModel* m = model_.get();
  for (int i = 0; i < m->nu; ++i) data_->ctrl[i] = action[i];
  for (int k = 0; k < frame_skip_; ++k) mj_step(m, data_);
  if (contact_forces) mj_rnePostConstraint(m, data_);
}

std::vector<double> MujocoEnv::uniform_noise(const std::vector<double>& init, double scale) {
  std::vector<double> out(init.size());
  for (size_t i = 0; i < init.size(); ++i) out[i] = init[i] + rng().uniform(-scale, scale);
  return out;
}

std::vector<double> MujocoEnv::normal_noise(const std::vector<double>& init, double scale) {
  std::vector<double> out(init.size());
  for (size_t i = 0; i < init.size(); ++i) out[i] = init[i] + scale * rng().normal();
  return out;
}

void MujocoEnv::reset_noisy(double scale, VelocityNoise velocity) {
  const auto qpos = uniform_noise(init_qpos_, scale);
  const auto qvel = velocity == VelocityNoise::Normal ? normal_noise(init_qvel_, scale) : uniform_noise(init_qvel_, scale);
  set_qpos_qvel(qpos.data(), qvel.data());
}

float* MujocoEnv::put_qpos_qvel(float* out, int skip) const {
  for (int i = skip; i < model_->nq; ++i) *out++ = static_cast<float>(data_->qpos[i]);
  for (int i = 0; i < model_->nv; ++i) *out++ = static_cast<float>(data_->qvel[i]);
  return out;
}

int MujocoEnv::body_id(const char* name) const {
  const int found = mj_name2id(model_.get(), mjOBJ_BODY, name);
  if (found < 0)
    throw Error(id() + ": its model has no body named '" + name +
                "'; an xml_file for this env must keep the reference model's body names");
  return found;
}

void MujocoEnv::read_state(double* out) const {
  std::copy(data_->qpos, data_->qpos + model_->nq, out);
  std::copy(data_->qvel, data_->qvel + model_->nv, out + model_->nq);
}

void MujocoEnv::write_state(const double* in) { set_qpos_qvel(in, in + model_->nq); }

Array MujocoEnv::render() {
  if (!renderer_)
    renderer_ = std::make_unique<Renderer>(model_.get(), render_width_, render_height_, render_camera_,
                                           camera_config_);
  Array frame;
  frame.dtype = DType::UInt8;
  frame.shape = {render_height_, render_width_, 3};
  frame.bytes.resize(static_cast<size_t>(render_height_) * render_width_ * 3);
  renderer_->render(data_, frame.bytes.data());
  return frame;
}

std::unique_ptr<RawPhysics> MujocoEnv::raw_physics() const {
  return std::make_unique<MujocoRawPhysics>(model_, frame_skip_);
}

}  // namespace rlarena
