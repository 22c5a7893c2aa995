// Renderer: MuJoCo's own OpenGL renderer in an off-screen OSMesa context (software
// rasterizer, no display), turning an mjModel/mjData pair into an RGB picture.
#pragma once
#include <mujoco/mujoco.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rlarena {

// Where the free camera looks, as Gymnasium's default_camera_config.
struct CameraConfig {
  double distance = -1;  // < 0: MuJoCo's default (from the model's extent)
  double elevation = -45;
  double azimuth = 90;
  std::optional<std::array<double, 3>> lookat;  // default: the model's centre
  int track_body = -1;  // >= 0: follow this body

  static CameraConfig at(double distance) {
    CameraConfig c;
    c.distance = distance;
    return c;
  }
};

class Renderer {
 public:
  // `camera`: a camera name of the model, or "" for the free camera of `config`.
  Renderer(const mjModel* m, int width, int height, const std::string& camera, CameraConfig config);
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // Renders `d` into `rgb` (height * width * 3 bytes, rows top to bottom).
  void render(const mjData* d, uint8_t* rgb);
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  struct Gl;
  const mjModel* m_;
  int width_, height_;
  std::unique_ptr<Gl> gl_;
  mjvScene scene_;
  mjvCamera camera_;
  mjvOption option_;
  mjrContext context_;
  std::vector<uint8_t> flipped_;
};

}  // namespace rlarena
