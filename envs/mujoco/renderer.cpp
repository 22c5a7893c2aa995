#include "envs/mujoco/renderer.h"

#include <GL/osmesa.h>

#include <algorithm>
#include <cstring>

#include "common/error.h"

namespace rlarena {

struct Renderer::Gl {
  OSMesaContext context = nullptr;
  std::vector<uint8_t> buffer;  // OSMesa draws its default framebuffer here (RGBA)
};

Renderer::Renderer(const mjModel* m, int width, int height, const std::string& camera,
                   CameraConfig config)
    : m_(m), width_(width), height_(height), gl_(std::make_unique<Gl>()) {
  if (width < 1 || height < 1 || width > 4096 || height > 4096)
    throw Error("render size " + std::to_string(width) + "x" + std::to_string(height) +
                " is out of range; give width and height in 1..4096");
  const int attribs[] = {OSMESA_FORMAT, OSMESA_RGBA, OSMESA_DEPTH_BITS, 24, OSMESA_STENCIL_BITS, 8,
                         OSMESA_PROFILE, OSMESA_COMPAT_PROFILE, 0};
  gl_->context = OSMesaCreateContextAttribs(attribs, nullptr);
  if (!gl_->context)
    throw Error("cannot create an OSMesa off-screen GL context; install libosmesa6 (scripts/setup.sh)");
  gl_->buffer.assign(static_cast<size_t>(width) * height * 4, 0);
  if (!OSMesaMakeCurrent(gl_->context, gl_->buffer.data(), GL_UNSIGNED_BYTE, width, height))
    throw Error("OSMesa could not make its GL context current");

  mjv_defaultScene(&scene_);
  mjv_defaultCamera(&camera_);
  mjv_defaultOption(&option_);
  mjr_defaultContext(&context_);
  mjv_makeScene(m, &scene_, 1000);
  // MuJoCo sizes its off-screen buffer from the model's visual settings: ask for ours.
  mjModel* sized = mj_copyModel(nullptr, m);
  sized->vis.global.offwidth = width;
  sized->vis.global.offheight = height;
  mjr_makeContext(sized, &context_, mjFONTSCALE_100);
  mj_deleteModel(sized);
  mjr_setBuffer(mjFB_OFFSCREEN, &context_);
  if (context_.currentBuffer != mjFB_OFFSCREEN)
    throw Error("MuJoCo could not use its off-screen buffer in the OSMesa context");

  if (!camera.empty()) {
    const int id = mj_name2id(m, mjOBJ_CAMERA, camera.c_str());
    if (id < 0) throw Error("the model has no camera named '" + camera + "'; leave camera_name empty for the free camera");
    camera_.type = mjCAMERA_FIXED;
    camera_.fixedcamid = id;
  } else {
    mjv_defaultFreeCamera(m, &camera_);
    if (config.distance >= 0) camera_.distance = config.distance;
    camera_.elevation = config.elevation;
    camera_.azimuth = config.azimuth;
    if (config.lookat) std::copy(config.lookat->begin(), config.lookat->end(), camera_.lookat);
    if (config.track_body >= 0) {
      camera_.type = mjCAMERA_TRACKING;
      camera_.trackbodyid = config.track_body;
    }
  }
  flipped_.resize(static_cast<size_t>(width) * height * 3);
}

Renderer::~Renderer() {
  if (gl_->context) {
    OSMesaMakeCurrent(gl_->context, gl_->buffer.data(), GL_UNSIGNED_BYTE, width_, height_);
    mjr_freeContext(&context_);
    OSMesaDestroyContext(gl_->context);
  }
  mjv_freeScene(&scene_);
}

void Renderer::render(const mjData* d, uint8_t* rgb) {
  // A context is current per thread: VecEnv may call us from any worker.
  OSMesaMakeCurrent(gl_->context, gl_->buffer.data(), GL_UNSIGNED_BYTE, width_, height_);
  mjv_updateScene(m_, const_cast<mjData*>(d), &option_, nullptr, &camera_, mjCAT_ALL, &scene_);
  const mjrRect viewport = {0, 0, width_, height_};
  mjr_render(viewport, &scene_, &context_);
  mjr_readPixels(flipped_.data(), nullptr, viewport, &context_);
  // OpenGL's rows run bottom-up; pictures run top-down.
  const size_t row = static_cast<size_t>(width_) * 3;
  for (int y = 0; y < height_; ++y)
    std::memcpy(rgb + y * row, flipped_.data() + (height_ - 1 - y) * row, row);
}

}  // namespace rlarena
