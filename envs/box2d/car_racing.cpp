// CarRacing-v3: drive a car around a random closed track, seen from above as 96x96
// RGB pixels (Box2D). Gymnasium 1.x box2d/car_racing.py: same constants, track
// generator (12 noisy checkpoints, a centre line turning toward them, one closed lap
// cut out at -15 degrees, kerbs on sharp bends), sensor tiles that pay 1000/N when a
// wheel first touches them, -0.1 a frame, -100 off the playfield, done when every
// tile is visited (Gymnasium's lap_complete_percent check sits where it can never
// fire, since the car starts on tile 0; kept so). Options: continuous (default true;
// false: 5 actions), lap_complete_percent, domain_randomize.
// The picture is drawn by our rasterizer at 2x and averaged down (Gymnasium draws a
// 1000x800 window with pygame and smoothscales it): same camera, zoom-in over the
// first second, colours and indicator bar; edges differ by a few grey levels and the
// score digits are not drawn. Box2D 2.4.1 here, 2.3 under Gymnasium.
#include <box2d/box2d.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>

#include "envs/box2d/box2d_raw.h"
#include "envs/box2d/car.h"
#include "envs/box2d/rigid_move.h"
#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/render/canvas.h"

namespace rlarena {
namespace {

class CarRacing final : public Env {
  static constexpr int kStateW = 96, kStateH = 96, kVideoW = 600, kVideoH = 400;
  static constexpr double kWindowW = 1000, kWindowH = 800;
  static constexpr double kScale = 6.0;
  static constexpr double kTrackRad = 900 / kScale, kPlayfield = 2000 / kScale;
  static constexpr int kFps = 50;
  static constexpr double kZoom = 2.7;
  static constexpr double kTrackDetailStep = 21 / kScale, kTrackTurnRate = 0.31;
  static constexpr double kTrackWidth = 40 / kScale, kBorder = 8 / kScale;
  static constexpr int kBorderMinCount = 4, kCheckpoints = 12;
  static constexpr double kGrassDim = kPlayfield / 20;

  struct Point {
    double alpha, beta, x, y;
  };
  struct Poly {
    b2Vec2 v[4];
    Rgb colour;
  };

 public:
  CarRacing(const EnvSpec& spec, const Kwargs& kw)
      : Env(spec, Space::box(0, 255, {kStateH, kStateW, 3}, DType::UInt8),
            kw.get_bool("continuous", true) ? Space::box({-1, 0, 0}, {1, 1, 1}, {3}) : Space::discrete(5)),
        continuous_(kw.get_bool("continuous", true)),
        lap_complete_percent_(kw.get_double("lap_complete_percent", 0.95)),
        domain_randomize_(kw.get_bool("domain_randomize", false)),
        kwargs_(kw) {
    if (!(lap_complete_percent_ > 0 && lap_complete_percent_ <= 1))
      throw Error(spec.id + ": lap_complete_percent=" + std::to_string(lap_complete_percent_) + "; give a value in (0, 1]");
    set_state_names({"x", "y", "angle", "vx", "vy", "angular_velocity"});
    set_info_keys({"lap_finished", "tiles_visited"});
  }
  ~CarRacing() override { teardown(); }

  Array render() override { return picture(kVideoW, kVideoH, 1); }
  bool heuristic_action(void* action) const override;
  bool set_state_replays() const override { return false; }
  std::unique_ptr<RawPhysics> raw_physics() const override {
    return std::make_unique<Box2dRaw<CarRacing>>(std::make_unique<CarRacing>(spec(), kwargs_));
  }
  void random_controls(Rng& rng) {
    car_->steer(rng.uniform(-1, 1)), car_->gas(rng.uniform(0, 1)), car_->brake(rng.uniform(0, 0.3));
  }
  // The car model and one bare world step (the raw-physics baseline).
  void step_world() {
    car_->step(1.0 / kFps);
    world_->Step(1.0f / kFps, 6 * 30, 2 * 30);
  }
  // The track's centre line (x, y per tile), for controllers and tests.
  const std::vector<Point>& track() const { return track_; }

 private:
  // Wheels on tiles: road friction, and the first touch of a tile pays 1000/N.
  struct Contacts : b2ContactListener {
    CarRacing* env = nullptr;
    void touch(b2Contact* c, bool begin) {
      b2Body* a = c->GetFixtureA()->GetBody();
      b2Body* b = c->GetFixtureB()->GetBody();
      int tile = env->tile_of(a);
      b2Body* other = b;
      if (tile < 0) tile = env->tile_of(b), other = a;
      if (tile < 0) return;
      env->road_[tile].colour = env->road_colour_;  // a touched tile loses its shading, as in Gymnasium
      for (int w = 0; w < 4; ++w) {
        Car::Wheel& wheel = env->car_->wheel(w);
        if (wheel.body != other) continue;
        if (!begin) {
          --wheel.tiles;
          return;
        }
        ++wheel.tiles;
        if (!env->visited_[tile]) {
          env->visited_[tile] = true;
          env->reward_ += 1000.0 / env->track_.size();
          ++env->tiles_visited_;
          if (tile == 0 && double(env->tiles_visited_) / env->track_.size() > env->lap_complete_percent_)
            env->new_lap_ = true;
        }
      }
    }
    void BeginContact(b2Contact* c) override { touch(c, true); }
    void EndContact(b2Contact* c) override { touch(c, false); }
  };

  int tile_of(b2Body* body) const {
    const uintptr_t p = body->GetUserData().pointer;
    return p == 0 ? -1 : static_cast<int>(p - 1);
  }

  void teardown() {
    if (!world_) return;
    world_->SetContactListener(nullptr);
    car_.reset();
    world_.reset();
  }

  bool create_track() {
    double cp_alpha[kCheckpoints], cp_x[kCheckpoints], cp_y[kCheckpoints];
    double start_alpha = 0;
    for (int c = 0; c < kCheckpoints; ++c) {
      const double noise = rng().uniform(0, 2 * M_PI / kCheckpoints);
      double alpha = 2 * M_PI * c / kCheckpoints + noise;
      double rad = rng().uniform(kTrackRad / 3, kTrackRad);
      if (c == 0) alpha = 0, rad = 1.5 * kTrackRad;
      if (c == kCheckpoints - 1) {
        alpha = 2 * M_PI * c / kCheckpoints, rad = 1.5 * kTrackRad;
        start_alpha = 2 * M_PI * (-0.5) / kCheckpoints;
      }
      cp_alpha[c] = alpha, cp_x[c] = rad * std::cos(alpha), cp_y[c] = rad * std::sin(alpha);
    }
    // Walk the centre line: turn toward the next checkpoint, one detail step at a time.
    double x = 1.5 * kTrackRad, y = 0, beta = 0;
    int dest_i = 0, laps = 0, no_freeze = 2500;
    bool visited_other_side = false;
    std::vector<Point> track;
    for (;;) {
      double alpha = std::atan2(y, x);
      if (visited_other_side && alpha > 0) ++laps, visited_other_side = false;
      if (alpha < 0) visited_other_side = true, alpha += 2 * M_PI;
      double dest_x = 0, dest_y = 0;
      for (;;) {  // the first checkpoint ahead of alpha
        bool failed = true;
        for (;;) {
          const int k = dest_i % kCheckpoints;
          dest_x = cp_x[k], dest_y = cp_y[k];
          if (alpha <= cp_alpha[k]) {
            failed = false;
            break;
          }
          ++dest_i;
          if (dest_i % kCheckpoints == 0) break;
        }
        if (!failed) break;
        alpha -= 2 * M_PI;
      }
      const double r1x = std::cos(beta), r1y = std::sin(beta);
      const double p1x = -r1y, p1y = r1x;
      double proj = r1x * (dest_x - x) + r1y * (dest_y - y);
      while (beta - alpha > 1.5 * M_PI) beta -= 2 * M_PI;
      while (beta - alpha < -1.5 * M_PI) beta += 2 * M_PI;
      const double prev_beta = beta;
      proj *= kScale;
      if (proj > 0.3) beta -= std::min(kTrackTurnRate, std::fabs(0.001 * proj));
      if (proj < -0.3) beta += std::min(kTrackTurnRate, std::fabs(0.001 * proj));
      x += p1x * kTrackDetailStep, y += p1y * kTrackDetailStep;
      track.push_back({alpha, 0.5 * (prev_beta + beta), x, y});
      if (laps > 4) break;
      if (--no_freeze == 0) break;
    }
    // One closed lap: between two crossings of start_alpha.
    int i1 = -1, i2 = -1;
    for (int i = static_cast<int>(track.size()) - 1;; --i) {
      if (i == 0) return false;
      const bool pass = track[i].alpha > start_alpha && track[i - 1].alpha <= start_alpha;
      if (pass && i2 == -1) {
        i2 = i;
      } else if (pass && i1 == -1) {
        i1 = i;
        break;
      }
    }
    track = std::vector<Point>(track.begin() + i1, track.begin() + (i2 - 1));
    const Point& first = track.front();
    const Point& last = track.back();
    const double gap = std::sqrt(std::pow(std::cos(first.beta) * (first.x - last.x), 2) +
                                 std::pow(std::sin(first.beta) * (first.y - last.y), 2));
    if (gap > kTrackDetailStep) return false;

    const int n = static_cast<int>(track.size());
    const auto at = [n](int i) { return ((i % n) + n) % n; };
    std::vector<char> border(n, 0);
    for (int i = 0; i < n; ++i) {
      bool good = true;
      int oneside = 0;
      for (int neg = 0; neg < kBorderMinCount; ++neg) {
        const double d = track[at(i - neg)].beta - track[at(i - neg - 1)].beta;
        good = good && std::fabs(d) > kTrackTurnRate * 0.2;
        oneside += d > 0 ? 1 : d < 0 ? -1 : 0;
      }
      border[i] = good && std::abs(oneside) == kBorderMinCount;
    }
    for (int i = 0; i < n; ++i)
      for (int neg = 0; neg < kBorderMinCount; ++neg) border[at(i - neg)] = border[at(i - neg)] || border[i];

    // Tiles: sensor quads between consecutive centre points, and kerbs to draw.
    road_.clear(), kerbs_.clear();
    for (int i = 0; i < n; ++i) {
      const Point& a = track[i];
      const Point& b = track[at(i - 1)];
      const auto edge = [](const Point& p, double w) {
        return b2Vec2(float(p.x + w * std::cos(p.beta)), float(p.y + w * std::sin(p.beta)));
      };
      Poly tile{{edge(a, -kTrackWidth), edge(a, kTrackWidth), edge(b, kTrackWidth), edge(b, -kTrackWidth)}, {}};
      const int shade = static_cast<int>(0.01 * (i % 3) * 255);
      tile.colour = {uint8_t(road_colour_.r + shade), uint8_t(road_colour_.g + shade), uint8_t(road_colour_.b + shade)};
      b2BodyDef def;
      def.userData.pointer = static_cast<uintptr_t>(i + 1);
      b2Body* body = world_->CreateBody(&def);
      b2PolygonShape shape;
      shape.Set(tile.v, 4);
      b2FixtureDef fd;
      fd.shape = &shape;
      fd.friction = 0.2f;
      fd.isSensor = true;
      body->CreateFixture(&fd);
      road_.push_back(tile);
      if (border[i]) {
        const double side = b.beta - a.beta > 0 ? 1 : b.beta - a.beta < 0 ? -1 : 0;
        kerbs_.push_back({{edge(a, side * kTrackWidth), edge(a, side * (kTrackWidth + kBorder)),
                           edge(b, side * (kTrackWidth + kBorder)), edge(b, side * kTrackWidth)},
                          i % 2 == 0 ? Rgb{255, 255, 255} : Rgb{255, 0, 0}});
      }
    }
    track_ = track;
    return true;
  }

  void do_reset() override {
    teardown();
    world_ = std::make_unique<b2World>(b2Vec2(0, 0));
    contacts_.env = this;
    world_->SetContactListener(&contacts_);
    reward_ = prev_reward_ = 0, tiles_visited_ = 0, t_ = 0, new_lap_ = false;
    if (domain_randomize_) {
      const auto draw = [this] {
        return Rgb{uint8_t(rng().uniform(0, 210)), uint8_t(rng().uniform(0, 210)), uint8_t(rng().uniform(0, 210))};
      };
      road_colour_ = draw(), bg_colour_ = draw(), grass_colour_ = bg_colour_;
      uint8_t* channel[3] = {&grass_colour_.r, &grass_colour_.g, &grass_colour_.b};
      *channel[rng().below(3)] += 20;
    }
    while (!create_track()) {
    }
    visited_.assign(track_.size(), false);
    car_ = std::make_unique<Car>(*world_, track_[0].beta, track_[0].x, track_[0].y);
    advance();  // Gymnasium's step(None): physics once, controls untouched
  }

  void advance() {
    car_->step(1.0 / kFps);
    world_->Step(1.0f / kFps, 6 * 30, 2 * 30);
    t_ += 1.0 / kFps;
  }

  Transition do_step(const void* action, double* info) override {
    if (continuous_) {
      const float* a = static_cast<const float*>(action);
      car_->steer(-a[0]), car_->gas(a[1]), car_->brake(a[2]);
    } else {
      const int64_t a = *static_cast<const int64_t*>(action);
      car_->steer(a == 1 ? -0.6 : a == 2 ? 0.6 : 0.0);
      car_->gas(a == 3 ? 0.2 : 0.0);
      car_->brake(a == 4 ? 0.8 : 0.0);
    }
    advance();
    reward_ -= 0.1;
    double step_reward = reward_ - prev_reward_;
    prev_reward_ = reward_;
    bool terminated = false;
    info[0] = 0;
    if (tiles_visited_ == static_cast<int>(track_.size()) || new_lap_) terminated = true, info[0] = 1;
    const b2Vec2 p = car_->hull()->GetPosition();
    if (std::fabs(p.x) > kPlayfield || std::fabs(p.y) > kPlayfield) terminated = true, info[0] = 0, step_reward = -100;
    info[1] = tiles_visited_;
    return {step_reward, terminated};
  }

  // The picture Gymnasium draws into its 1000x800 window, drawn at width x height
  // (`supersample` times the output size, then averaged down).
  Array picture(int width, int height, int supersample) const;

  void observe(void* obs) const override {
    const Array a = picture(kStateW, kStateH, 2);
    std::memcpy(obs, a.bytes.data(), a.bytes.size());
  }

  void read_state(double* out) const override {
    const b2Body* h = car_->hull();
    out[0] = h->GetPosition().x, out[1] = h->GetPosition().y, out[2] = h->GetAngle();
    out[3] = h->GetLinearVelocity().x, out[4] = h->GetLinearVelocity().y, out[5] = h->GetAngularVelocity();
  }
  void write_state(const double* in) override {
    b2Body* const wheels[4] = {car_->wheel(0).body, car_->wheel(1).body, car_->wheel(2).body, car_->wheel(3).body};
    move_rigidly(car_->hull(), wheels, 4, in);
  }

  bool continuous_;
  double lap_complete_percent_;
  bool domain_randomize_;
  Kwargs kwargs_;
  Rgb road_colour_{102, 102, 102}, bg_colour_{102, 204, 102}, grass_colour_{102, 230, 102};
  std::unique_ptr<b2World> world_;
  Contacts contacts_;
  std::unique_ptr<Car> car_;
  std::vector<Point> track_;
  std::vector<Poly> road_, kerbs_;
  std::vector<bool> visited_;
  int tiles_visited_ = 0;
  double reward_ = 0, prev_reward_ = 0, t_ = 0;
  bool new_lap_ = false;
};

Array CarRacing::picture(int width, int height, int supersample) const {
  const int w = width * supersample, h = height * supersample;
  Canvas c(w, h, {0, 0, 0});
  if (!car_) return c.to_array();
  const b2Body* hull = car_->hull();
  const double zoom = 0.1 * kScale * std::max(1 - t_, 0.0) + kZoom * kScale * std::min(t_, 1.0);
  const double angle = -hull->GetAngle(), ca = std::cos(angle), sa = std::sin(angle);
  const b2Vec2 pos = hull->GetPosition();
  const double sx = w / kWindowW, sy = h / kWindowH;
  // World -> Gymnasium's window (car at (500, 200), y up), flipped, scaled to ours.
  const auto screen = [&](double x, double y) {
    const double dx = (x - pos.x) * zoom, dy = (y - pos.y) * zoom;
    return std::pair<double, double>{(kWindowW / 2 + ca * dx - sa * dy) * sx,
                                     (kWindowH - (kWindowH / 4 + sa * dx + ca * dy)) * sy};
  };
  const auto fill = [&](const b2Vec2* v, int count, Rgb colour) {
    std::vector<std::pair<double, double>> pts;
    bool visible = false;
    for (int k = 0; k < count; ++k) {
      pts.push_back(screen(v[k].x, v[k].y));
      const auto& q = pts.back();
      visible = visible || (q.first > -w && q.first < 2 * w && q.second > -h && q.second < 2 * h);
    }
    if (visible) c.polygon(pts, colour);
  };
  const b2Vec2 field[4] = {{float(kPlayfield), float(kPlayfield)}, {float(kPlayfield), float(-kPlayfield)},
                           {float(-kPlayfield), float(-kPlayfield)}, {float(-kPlayfield), float(kPlayfield)}};
  c.polygon({screen(field[0].x, field[0].y), screen(field[1].x, field[1].y), screen(field[2].x, field[2].y),
             screen(field[3].x, field[3].y)},
            bg_colour_);
  for (int gx = -20; gx < 20; gx += 2)
    for (int gy = -20; gy < 20; gy += 2) {
      const b2Vec2 sq[4] = {{float(kGrassDim * gx), float(kGrassDim * gy)},
                            {float(kGrassDim * (gx + 1)), float(kGrassDim * gy)},
                            {float(kGrassDim * (gx + 1)), float(kGrassDim * (gy + 1))},
                            {float(kGrassDim * gx), float(kGrassDim * (gy + 1))}};
      fill(sq, 4, grass_colour_);
    }
  for (const Poly& tile : road_) fill(tile.v, 4, tile.colour);
  for (const Poly& kerb : kerbs_) fill(kerb.v, 4, kerb.colour);
  // The car: wheels (black), then the hull's four polygons (red).
  for (int i = 0; i < 4; ++i) {
    const b2Body* body = car_->wheel(i).body;
    const auto* shape = static_cast<const b2PolygonShape*>(body->GetFixtureList()->GetShape());
    b2Vec2 v[b2_maxPolygonVertices];
    for (int k = 0; k < shape->m_count; ++k) v[k] = body->GetWorldPoint(shape->m_vertices[k]);
    fill(v, shape->m_count, {0, 0, 0});
  }
  for (const b2Fixture* f = hull->GetFixtureList(); f; f = f->GetNext()) {
    const auto* shape = static_cast<const b2PolygonShape*>(f->GetShape());
    b2Vec2 v[b2_maxPolygonVertices];
    for (int k = 0; k < shape->m_count; ++k) v[k] = hull->GetWorldPoint(shape->m_vertices[k]);
    fill(v, shape->m_count, {204, 0, 0});
  }
  // Gymnasium's indicator bar along the bottom: speed, wheel spins, steering, gyro.
  const double s = kWindowW / 40, hh = kWindowH / 40;
  c.polygon({{0, 700 * sy}, {w, 700 * sy}, {w, h}, {0, h}}, {0, 0, 0});
  const auto vertical = [&](int place, double val, Rgb colour) {
    c.polygon({{place * s * sx, (kWindowH - (hh + hh * val)) * sy},
               {(place + 1) * s * sx, (kWindowH - (hh + hh * val)) * sy},
               {(place + 1) * s * sx, (kWindowH - hh) * sy},
               {place * s * sx, (kWindowH - hh) * sy}},
              colour);
  };
  const auto horizontal = [&](int place, double val, Rgb colour) {
    c.polygon({{place * s * sx, (kWindowH - 4 * hh) * sy},
               {(place + val) * s * sx, (kWindowH - 4 * hh) * sy},
               {(place + val) * s * sx, (kWindowH - 2 * hh) * sy},
               {place * s * sx, (kWindowH - 2 * hh) * sy}},
              colour);
  };
  const double speed = std::hypot(hull->GetLinearVelocity().x, hull->GetLinearVelocity().y);
  if (speed > 1e-4) vertical(5, 0.02 * speed, {255, 255, 255});
  for (int i = 0; i < 4; ++i)
    if (std::fabs(car_->wheel(i).omega) > 1e-4)
      vertical(7 + i, 0.01 * car_->wheel(i).omega, i < 2 ? Rgb{0, 0, 255} : Rgb{51, 0, 255});
  const double steer = car_->wheel(0).joint->GetJointAngle();
  if (std::fabs(steer) > 1e-4) horizontal(20, -10.0 * steer, {0, 255, 0});
  const double gyro = hull->GetAngularVelocity();
  if (std::fabs(gyro) > 1e-4) horizontal(30, -0.8 * gyro, {255, 0, 0});
  if (supersample == 1) return c.to_array();
  // Area-average down to the output size.
  Array out;
  out.dtype = DType::UInt8;
  out.shape = {height, width, 3};
  out.bytes.resize(static_cast<size_t>(width) * height * 3);
  const auto& px = c.pixels();
  const int n = supersample * supersample;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int ch = 0; ch < 3; ++ch) {
        int sum = 0;
        for (int dy = 0; dy < supersample; ++dy)
          for (int dx = 0; dx < supersample; ++dx)
            sum += px[((static_cast<size_t>(y) * supersample + dy) * w + x * supersample + dx) * 3 + ch];
        out.bytes[(static_cast<size_t>(y) * width + x) * 3 + ch] = static_cast<uint8_t>((sum + n / 2) / n);
      }
  return out;
}

// Our scripted driver: steer toward a point a few tiles ahead on the centre line,
// hold a modest speed, brake before it grows too high.
bool CarRacing::heuristic_action(void* action) const {
  if (!car_) return false;
  const b2Body* hull = car_->hull();
  const b2Vec2 p = hull->GetPosition();
  const int n = static_cast<int>(track_.size());
  int nearest = 0;
  double best = INFINITY;
  for (int i = 0; i < n; ++i) {
    const double d = std::hypot(track_[i].x - p.x, track_[i].y - p.y);
    if (d < best) best = d, nearest = i;
  }
  const Point& target = track_[(nearest + 4) % n];
  const b2Vec2 heading = hull->GetWorldVector(b2Vec2(0, 1));
  const double dx = target.x - p.x, dy = target.y - p.y;
  const double error = std::atan2(heading.x * dy - heading.y * dx, heading.x * dx + heading.y * dy);  // + : target left
  const double speed = std::hypot(hull->GetLinearVelocity().x, hull->GetLinearVelocity().y);
  constexpr double kTargetSpeed = 22;
  const double steer = std::clamp(-2.0 * error, -1.0, 1.0);
  const double gas = speed < kTargetSpeed ? 0.6 : 0.0;
  const double brake = speed > kTargetSpeed + 6 ? 0.3 : 0.0;
  if (continuous_) {
    float* a = static_cast<float*>(action);
    a[0] = float(steer), a[1] = float(gas), a[2] = float(brake);
  } else {
    int64_t& a = *static_cast<int64_t*>(action);
    a = steer > 0.3 ? 1 : steer < -0.3 ? 2 : gas > 0 ? 3 : brake > 0 ? 4 : 0;
  }
  return true;
}

const bool registered = register_env<CarRacing>({"CarRacing-v3", 1000, 900.0, {}, "gymnasium.envs.box2d.car_racing:CarRacing"});

}  // namespace
}  // namespace rlarena
