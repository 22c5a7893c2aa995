// The MuJoCo suite: dims and bounds, pinned trajectories (a physics or model change
// shows), rewards equal to their info terms and to the v5 formulas recomputed from
// the state, healthy/unhealthy termination, state round trips, model loading
// errors, shared models, rendering and thread-count determinism.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <numeric>
#include <set>

#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/core/vec_env.h"
#include "envs/mujoco/mujoco_env.h"
#include "envs/mujoco/numpy_sums.h"
#include "pins.h"

using namespace rlarena;

namespace {

struct Dims {
  const char* id;
  int64_t obs, act;
  int frame_skip;
  int64_t max_steps;
  double act_high;
};
const Dims kDims[] = {
    {"HalfCheetah-v5", 17, 6, 5, 1000, 1.0},   {"Hopper-v5", 11, 3, 4, 1000, 1.0},
    {"Walker2d-v5", 17, 6, 4, 1000, 1.0},      {"Ant-v5", 105, 8, 5, 1000, 1.0},
    {"Humanoid-v5", 348, 17, 5, 1000, 0.4},    {"Swimmer-v5", 8, 2, 4, 1000, 1.0},
    {"Reacher-v5", 10, 2, 2, 50, 1.0},         {"Pusher-v5", 23, 7, 5, 100, 2.0},
    {"InvertedPendulum-v5", 4, 1, 2, 1000, 3.0}, {"InvertedDoublePendulum-v5", 9, 1, 5, 1000, 1.0},
};

std::vector<std::string> mujoco_ids() {
  std::vector<std::string> ids;
  for (const auto& d : kDims) ids.push_back(d.id);
  return ids;
}

// A fixed, smooth action sequence inside the bounds (the same in every run).
std::vector<float> smooth_action_at(const Env& env, int t) {
  const Space& s = env.action_space();
  std::vector<float> a(s.numel());
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = static_cast<float>(0.8 * s.high()[i] * std::sin(0.7 * t + 1.3 * static_cast<double>(i)));
  return a;
}

const MujocoEnv& as_mujoco(const Env& env) { return dynamic_cast<const MujocoEnv&>(env); }

double info_sum(const StepResult& r, const std::vector<std::string>& terms) {
  double s = 0;
  for (const auto& k : terms) s += r.info.at(k);
  return s;
}

}  // namespace

TEST_CASE("MuJoCo envs have v5's dims, bounds, frame skips and time limits", "[mujoco]") {
  for (const auto& d : kDims) {
    INFO(d.id);
    auto env = make(d.id);
    CHECK(env->observation_space().shape() == std::vector<int64_t>{d.obs});
    CHECK(env->action_space().shape() == std::vector<int64_t>{d.act});
    CHECK(as_mujoco(*env).frame_skip() == d.frame_skip);
    CHECK(env->spec().max_episode_steps == d.max_steps);
    for (int64_t i = 0; i < d.act; ++i) {
      CHECK(env->action_space().low()[i] == -static_cast<float>(d.act_high));
      CHECK(env->action_space().high()[i] == static_cast<float>(d.act_high));
    }
    CHECK(env->reset(0).numel() == d.obs);
  }
}

TEST_CASE("MuJoCo pinned trajectories", "[mujoco]") {
  // obs[0..2] after 20 steps of smooth_action_at from reset(seed=42), and the return.
  const std::vector<test::Pin> pins = {
#include "mujoco_pins.inc"  // regenerate only for a deliberate physics or model change
  };
  test::check_pins(
      pins, 42, 20, smooth_action_at, [](const Array& o) { return std::vector<double>{o.at(0), o.at(1), o.at(2)}; }, 1e-6,
      1e-9);
}

TEST_CASE("MuJoCo rewards equal the sum of their info terms", "[mujoco]") {
  const std::map<std::string, std::vector<std::string>> terms = {
      {"HalfCheetah-v5", {"reward_forward", "reward_ctrl"}},
      {"Hopper-v5", {"reward_forward", "reward_ctrl", "reward_survive"}},
      {"Walker2d-v5", {"reward_forward", "reward_ctrl", "reward_survive"}},
      {"Ant-v5", {"reward_forward", "reward_ctrl", "reward_contact", "reward_survive"}},
      {"Humanoid-v5", {"reward_forward", "reward_ctrl", "reward_contact", "reward_survive"}},
      {"Swimmer-v5", {"reward_forward", "reward_ctrl"}},
      {"Reacher-v5", {"reward_dist", "reward_ctrl"}},
      {"Pusher-v5", {"reward_dist", "reward_ctrl", "reward_near"}},
      {"InvertedPendulum-v5", {"reward_survive"}},
      {"InvertedDoublePendulum-v5", {"reward_survive", "distance_penalty", "velocity_penalty"}},
  };
  for (const auto& [id, keys] : terms) {
    INFO(id);
    auto env = make(id);
    env->reset(3);
    for (int t = 0; t < 15; ++t) {
      const StepResult r = env->step(smooth_action_at(*env, t));
      CHECK(r.reward == Approx(info_sum(r, keys)).epsilon(1e-12).margin(1e-12));
      if (r.terminated) break;
    }
  }
  // Contact forces reach the reward (v5 computes cfrc_ext after stepping): the
  // feet touch the floor within a few steps under gentle actions.
  for (const char* id : {"Ant-v5", "Humanoid-v5"}) {
    INFO(id);
    auto env = make(id);
    env->reset(3);
    bool contact_seen = false;
    for (int t = 0; t < 12 && !contact_seen; ++t)
      contact_seen = env->step(std::vector<float>(env->action_space().numel(), 0.1f)).info.at("reward_contact") < 0;
    CHECK(contact_seen);
  }
}

TEST_CASE("MuJoCo locomotion rewards follow v5's formulas from the state", "[mujoco]") {
  struct Case {
    const char* id;
    double ctrl_weight, healthy;
  };
  for (const Case& c : {Case{"HalfCheetah-v5", 0.1, 0.0}, Case{"Hopper-v5", 1e-3, 1.0},
                        Case{"Walker2d-v5", 1e-3, 1.0}, Case{"Swimmer-v5", 1e-4, 0.0}}) {
    INFO(c.id);
    auto env = make(c.id);
    env->reset(5);
    const double dt = as_mujoco(*env).dt();
    for (int t = 0; t < 3; ++t) {
      const double x_before = env->get_state()[0];
      const auto a = smooth_action_at(*env, t);
      const StepResult r = env->step(a);
      const double x_after = env->get_state()[0];
      double sq = 0;
      for (float v : a) sq += static_cast<double>(v) * v;
      CHECK(r.info.at("x_position") == x_after);
      CHECK(r.info.at("x_velocity") == Approx((x_after - x_before) / dt).epsilon(1e-12));
      CHECK(r.reward == Approx((x_after - x_before) / dt + c.healthy - c.ctrl_weight * sq).epsilon(1e-6));
    }
  }
  SECTION("Reacher: minus the fingertip distance minus the squared action") {
    auto env = make("Reacher-v5");
    env->reset(1);
    const auto a = smooth_action_at(*env, 0);
    const StepResult r = env->step(a);
    // The fingertip and target share z = 0.01; obs[8:10] is their xy difference.
    const double dist = std::hypot(r.obs.at(8), r.obs.at(9));
    CHECK(r.reward == Approx(-dist - (a[0] * a[0] + a[1] * a[1])).epsilon(1e-6));
  }
}

TEST_CASE("MuJoCo unhealthy states terminate and healthy ones do not", "[mujoco]") {
  // (env, state index, unhealthy value): Hopper/Walker2d qpos[1] is the torso height,
  // qpos[2] its angle; Ant/Humanoid qpos[2] is the torso height; the pendulums' hinges.
  struct Case {
    const char* id;
    int index;
    double value;
  };
  for (const Case& c : {Case{"Hopper-v5", 1, 0.5}, Case{"Hopper-v5", 2, 0.5}, Case{"Walker2d-v5", 1, 0.6},
                        Case{"Walker2d-v5", 2, 1.5}, Case{"Ant-v5", 2, 1.6}, Case{"Humanoid-v5", 2, 0.6},
                        Case{"InvertedPendulum-v5", 1, 0.35}, Case{"InvertedDoublePendulum-v5", 1, 1.3}}) {
    INFO(c.id << " state[" << c.index << "] = " << c.value);
    auto env = make(c.id);
    env->reset(0);
    const std::vector<float> zero(env->action_space().numel(), 0.0f);
    CHECK_FALSE(env->step(zero).terminated);  // the reset state is healthy

    auto state = env->get_state();
    state[c.index] = c.value;
    env->set_state(state);
    const StepResult r = env->step(zero);
    CHECK(r.terminated);
    CHECK_FALSE(r.truncated);
    if (r.info.count("reward_survive")) CHECK(r.info.at("reward_survive") == 0.0);

    // terminate_when_unhealthy=false: no termination, and no healthy reward (v5).
    if (std::string(c.id).find("Pendulum") == std::string::npos) {
      auto lenient = make(c.id, {{"terminate_when_unhealthy", "false"}});
      lenient->reset(0);
      lenient->set_state(state);
      const StepResult s = lenient->step(zero);
      CHECK_FALSE(s.terminated);
      CHECK(s.info.at("reward_survive") == 0.0);
    }
  }
  SECTION("healthy_z_range is an option") {
    auto env = make("Hopper-v5", {{"healthy_z_range", "(0.7, 1.0)"}});
    env->reset(0);
    CHECK(env->step(std::vector<float>(3, 0.0f)).terminated);  // starts at z = 1.25
    CHECK_THROWS_WITH(make("Hopper-v5", {{"healthy_z_range", "0.7"}}), Catch::Contains("healthy_z_range=0.7,inf"));
  }
}

TEST_CASE("MuJoCo state is qpos then qvel and round-trips", "[mujoco]") {
  for (const auto& id : mujoco_ids()) {
    INFO(id);
    auto env = make(id);
    env->reset(9);
    const mjModel* m = as_mujoco(*env).model();
    auto state = env->get_state();
    REQUIRE(state.size() == static_cast<size_t>(m->nq + m->nv));
    REQUIRE(env->state_names().size() == state.size());
    // Quaternions stay as they are: mj_forward normalizes them in qpos, as in Gymnasium.
    for (size_t i = 0; i < state.size(); ++i)
      if (env->state_names()[i].find("qpos:root_") == std::string::npos) state[i] += 0.01 * static_cast<double>(i % 5);
    env->set_state(state);
    CHECK(env->get_state() == state);
    const mjData* d = as_mujoco(*env).data();
    CHECK(std::equal(d->qvel, d->qvel + m->nv, state.begin() + m->nq));
  }
  auto cheetah = make("HalfCheetah-v5");
  CHECK(cheetah->state_names().front() == "qpos:rootx");
  CHECK(cheetah->state_names()[9] == "qvel:rootx");
  auto ant = make("Ant-v5");
  CHECK(ant->state_names()[3] == "qpos:root_3");  // the free joint's quaternion w
  // The observation reflects a set state: HalfCheetah's obs is qpos[1:] ++ qvel.
  std::vector<double> s(18, 0.0);
  s[1] = 0.25, s[9] = 1.5;
  cheetah->reset(0);
  cheetah->set_state(s);
  const Array obs = cheetah->observation();
  CHECK(obs.at(0) == 0.25f);
  CHECK(obs.at(8) == 1.5f);
}

TEST_CASE("MuJoCo observation options change the layout as in v5", "[mujoco]") {
  auto full = make("HalfCheetah-v5", {{"exclude_current_positions_from_observation", "false"}});
  CHECK(full->observation_space().shape() == std::vector<int64_t>{18});
  const Array o = full->reset(2);
  CHECK(o.at(0) == static_cast<float>(full->get_state()[0]));
  CHECK(make("Ant-v5", {{"include_cfrc_ext_in_observation", "false"}})->observation_space().numel() == 27);
  CHECK(make("Ant-v5", {{"exclude_current_positions_from_observation", "false"}})->observation_space().numel() ==
        107);
  CHECK(make("Humanoid-v5", {{"include_cinert_in_observation", "false"},
                             {"include_cvel_in_observation", "false"},
                             {"include_qfrc_actuator_in_observation", "false"},
                             {"include_cfrc_ext_in_observation", "false"}})
            ->observation_space()
            .numel() == 45);
  CHECK(make("Swimmer-v5", {{"exclude_current_positions_from_observation", "false"}})->observation_space().numel() ==
        10);
  // Weights are options: a zero control weight leaves only the forward term.
  auto no_ctrl = make("HalfCheetah-v5", {{"ctrl_cost_weight", "0"}});
  no_ctrl->reset(1);
  CHECK(no_ctrl->step(std::vector<float>(6, 1.0f)).info.at("reward_ctrl") == 0.0);
  CHECK_THROWS_WITH(make("HalfCheetah-v5", {{"ctrl_cost_wieght", "0"}}), Catch::Contains("ctrl_cost_weight"));
}

TEST_CASE("MuJoCo models load once and are shared, bad model files name the path", "[mujoco]") {
  auto a = make("Hopper-v5"), b = make("Hopper-v5");
  CHECK(as_mujoco(*a).model() == as_mujoco(*b).model());
  CHECK(as_mujoco(*a).data() != as_mujoco(*b).data());

  const std::string missing = "/nonexistent/dir/robot.xml";
  CHECK_THROWS_WITH(make("Hopper-v5", {{"xml_file", missing}}),
                    Catch::Contains(missing) && Catch::Contains("no such file"));

  const std::string bad = "rlarena_test_malformed.xml";
  std::ofstream(bad) << "<mujoco><worldbody><body><geom type='sphere' size='0.1'></body></mujoco>";
  try {
    make("Hopper-v5", {{"xml_file", bad}});
    FAIL("a malformed model loaded");
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK_THAT(msg, Catch::Contains(bad));
    CHECK_THAT(msg, Catch::Contains("Error"));  // MuJoCo's own message follows the path
  }
  std::ofstream(bad) << "<mujoco><worldbody><body><joint type='hinge'/><geom size='0.1'/></body></worldbody></mujoco>";
  // A well-formed model that lacks Reacher's bodies: the missing body is named.
  CHECK_THROWS_WITH(make("Reacher-v5", {{"xml_file", bad}}), Catch::Contains("fingertip"));
  std::remove(bad.c_str());
}

TEST_CASE("MuJoCo renders an RGB frame off-screen", "[mujoco][render]") {
  auto env = make("HalfCheetah-v5", {{"width", "64"}, {"height", "48"}});
  env->reset(0);
  const Array frame = env->render();
  REQUIRE(frame.dtype == DType::UInt8);
  REQUIRE(frame.shape == std::vector<int64_t>{48, 64, 3});
  // Not blank: many distinct colours, and the cheetah's body colour (0.8, 0.6, 0.4
  // under lighting: red > green > blue) appears near the centre of the picture.
  std::set<uint32_t> colours;
  const uint8_t* p = frame.as<uint8_t>();
  for (int64_t i = 0; i < 48 * 64; ++i) colours.insert(p[3 * i] << 16 | p[3 * i + 1] << 8 | p[3 * i + 2]);
  CHECK(colours.size() > 20);
  int body_pixels = 0;
  for (int y = 12; y < 36; ++y)
    for (int x = 16; x < 48; ++x) {
      const uint8_t* c = p + 3 * (y * 64 + x);
      if (c[0] > c[1] + 15 && c[1] > c[2] + 15) ++body_pixels;
    }
  CHECK(body_pixels > 10);
  // The next frame after a step differs (the scene moved).
  env->step(std::vector<float>(6, 1.0f));
  env->step(std::vector<float>(6, 1.0f));
  CHECK(env->render().bytes != frame.bytes);
}

TEST_CASE("MuJoCo VecEnv results are bit-identical at 1 and 2 threads", "[mujoco][vec]") {
  for (const char* id : {"Ant-v5", "Hopper-v5"}) {
    INFO(id);
    std::vector<std::vector<uint8_t>> runs;
    for (int threads : {1, 2}) {
      VecEnv venv(id, 6, 77, threads);
      venv.reset();
      std::vector<uint8_t> trace;
      const int64_t act = venv.action_space().numel();
      std::vector<float> actions(6 * act);
      for (int t = 0; t < 40; ++t) {
        for (size_t i = 0; i < actions.size(); ++i) actions[i] = static_cast<float>(std::sin(0.3 * t + i));
        const Batch& b = venv.step(actions);
        const auto* o = static_cast<const uint8_t*>(b.obs);
        trace.insert(trace.end(), o, o + b.size * b.obs_bytes);
        const auto* r = reinterpret_cast<const uint8_t*>(b.reward);
        trace.insert(trace.end(), r, r + b.size * sizeof(double));
      }
      runs.push_back(trace);
    }
    CHECK(runs[0] == runs[1]);
  }
}

TEST_CASE("Reward sums follow NumPy's pairwise order", "[mujoco]") {
  // 16 float32 values: 1e8, seven 1s, -1e8, seven 1s. NumPy's eight accumulators pair
  // 1e8 with -1e8 and keep every 1 (sum 14); a running sum loses the first seven to
  // rounding (sum 7).
  std::vector<float> a(16, 1.0f);
  a[0] = 1e8f, a[8] = -1e8f;
  CHECK(numpy_sum(a.data(), a.size()) == 14.0f);
  // Below 8 elements NumPy adds in order: (1e8 + 1) + -1e8 = 0 in float32.
  const float few[3] = {1e8f, 1.0f, -1e8f};
  CHECK(numpy_sum(few, 3) == 0.0f);
  // Squares are formed in the element type, then summed the same way.
  const float sq[2] = {3.0f, 4.0f};
  CHECK(numpy_square_sum(sq, 2) == 25.0f);
  CHECK(control_cost(0.1, sq, 2) == static_cast<float>(0.1f * 25.0f));
}

TEST_CASE("terminal_observation applies the env's own termination rule to an observation", "[mujoco][model_based]") {
  for (const char* id : {"Hopper-v5", "Walker2d-v5", "Ant-v5", "InvertedPendulum-v5"}) {
    INFO(id);
    auto env = make(id);
    Rng rng(5);
    int64_t terminations = 0, steps = 0;
    for (int episode = 0; episode < 6; ++episode) {
      env->reset(100 + episode);
      for (int t = 0; t < 300; ++t) {
        Array a = Array::zeros(env->action_space());
        env->action_space().sample(rng, a.data());
        const StepResult r = env->step(a);
        ++steps;
        REQUIRE(env->terminal_observation(r.obs.as<float>()) == r.terminated);
        if (r.terminated) {
          ++terminations;
          break;
        }
        if (r.truncated) break;
      }
    }
    CHECK(terminations > 0);  // the rule was seen to fire, not only to stay quiet
  }
  // Envs without a rule on observations never call one terminal.
  auto cheetah = make("HalfCheetah-v5");
  const Array obs = cheetah->reset(0);
  CHECK_FALSE(cheetah->terminal_observation(obs.as<float>()));
}

TEST_CASE("known_reward gives the env's reward from the observations and the action", "[mujoco][model_based]") {
  for (const char* id : {"InvertedPendulum-v5", "Reacher-v5", "Pendulum-v1"}) {
    INFO(id);
    auto env = make(id);
    Rng rng(9);
    int64_t zeros = 0;
    for (int episode = 0; episode < 3; ++episode) {
      Array obs = env->reset(200 + episode);
      for (int t = 0; t < 60; ++t) {
        Array a = Array::zeros(env->action_space());
        env->action_space().sample(rng, a.data());
        const StepResult r = env->step(a);
        double known = NAN;
        REQUIRE(env->known_reward(obs.as<float>(), a.as<float>(), r.obs.as<float>(), &known));
        // Observations are float32: the reward from them agrees to float precision.
        CHECK(known == Approx(r.reward).margin(1e-5).epsilon(1e-5));
        zeros += r.reward == 0;
        obs = r.obs;
        if (r.terminated || r.truncated) break;
      }
    }
    if (std::string(id) == "InvertedPendulum-v5") CHECK(zeros > 0);  // the terminating steps pay 0
  }
  auto cheetah = make("HalfCheetah-v5");
  const Array obs = cheetah->reset(0);
  const std::vector<float> a(6, 0.f);
  double r = 0;
  CHECK_FALSE(cheetah->known_reward(obs.as<float>(), a.data(), obs.as<float>(), &r));
}
