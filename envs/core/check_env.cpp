#include "envs/core/check_env.h"

#include <cmath>
#include <functional>
#include <sstream>

#include "common/error.h"
#include "envs/core/registry.h"

namespace rlarena {

namespace {

Array random_action(const Env& env, Rng& rng) {
  Array a = Array::zeros(env.action_space());
  env.action_space().sample(rng, a.data());
  return a;
}

// A failed expectation inside a check: its message is the check's detail.
struct Failed {
  std::string why;
};
void expect(bool ok, const std::string& why) {
  if (!ok) throw Failed{why};
}

bool rejects(const std::function<void()>& f, const std::string& must_name) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(e.what()).find(must_name) != std::string::npos;
  }
  return false;
}

}  // namespace

std::vector<EnvCheck> check_env(const std::string& id, const Kwargs& kwargs) {
  auto fresh = [&] { return make(id, kwargs); };
  auto env = fresh();
  const Space& obs_space = env->observation_space();
  const Space& act_space = env->action_space();
  const int64_t limit = env->spec().max_episode_steps;
  std::vector<EnvCheck> out;
  auto check = [&](const std::string& name, const std::function<std::string()>& body) {
    EnvCheck c{name, true, ""};
    try {
      c.detail = body();
    } catch (const Failed& f) {
      c.passed = false;
      c.detail = f.why;
    } catch (const std::exception& e) {
      c.passed = false;
      c.detail = std::string("threw: ") + e.what();
    }
    out.push_back(c);
  };

  check("spaces have Gymnasium's dtypes", [&] {
    expect(obs_space.dtype() == DType::Float32 || obs_space.dtype() == DType::UInt8,
           "observations are " + std::string(dtype_name(obs_space.dtype())) + ", not float32 or uint8");
    if (act_space.kind() == Space::Kind::Discrete) expect(act_space.dtype() == DType::Int64, "Discrete actions are not int64");
    if (act_space.kind() == Space::Kind::Box) expect(act_space.dtype() == DType::Float32, "Box actions are not float32");
    expect(env->spec().id == id, "spec().id is " + env->spec().id);
    return obs_space.repr() + ", " + act_space.repr();
  });

  check("a seeded reset is reproducible and seeds differ", [&] {
    const Array a = env->reset(123), b = env->reset(123), c = env->reset(124);
    expect(a.bytes.size() == obs_space.byte_size(), "reset's observation has the wrong size");
    expect(a.bytes == b.bytes, "reset(seed=123) twice gave different observations");
    expect(a.bytes != c.bytes, "reset(seed=123) and reset(seed=124) gave the same observation");
    return std::string();
  });

  check("a reset without a seed continues the env's stream", [&] {
    auto other = fresh();
    other->reset(123);
    env->reset(123);
    expect(env->reset().bytes == other->reset().bytes,
           "two envs reset with seed 123, then without a seed, differ");
    return std::string();
  });

  check("observations stay in the space, rewards are finite, the time limit truncates", [&] {
    Rng rng(7);
    Array obs = env->reset(7);
    expect(obs_space.contains(obs.data()), "reset's observation is outside the observation space");
    int64_t t = 0;
    for (;;) {
      const StepResult r = env->step(random_action(*env, rng));
      ++t;
      const std::string at = " at step " + std::to_string(t);
      expect(r.obs.bytes.size() == obs_space.byte_size(), "the observation has the wrong size" + at);
      expect(obs_space.contains(r.obs.data()), "the observation is outside the observation space" + at);
      expect(std::isfinite(r.reward), "the reward is not finite" + at);
      expect(env->elapsed_steps() == t, "elapsed_steps() is off" + at);
      expect(limit == 0 || r.truncated == (t == limit), "truncated is wrong" + at);
      if (r.terminated || r.truncated) break;
      expect(limit > 0 || t < 100000, "no time limit and no end within 100000 steps");
    }
    return "a random episode of " + std::to_string(t) + " steps";
  });

  check("a time limit of 3 truncates exactly at step 3", [&] {
    Kwargs short_limit = kwargs;
    short_limit.set("max_episode_steps", "3");
    auto short_env = make(id, short_limit);
    Rng rng(8);
    short_env->reset(8);
    for (int t = 1; t <= 3; ++t) {
      const StepResult r = short_env->step(random_action(*short_env, rng));
      if (r.terminated) break;  // a real terminal state may come first
      expect(r.truncated == (t == 3), "truncated is wrong at step " + std::to_string(t));
    }
    return std::string();
  });

  check("bad actions are refused with the env's id", [&] {
    env->reset(0);
    if (act_space.kind() == Space::Kind::Discrete) {
      expect(rejects([&] { env->step(act_space.n() + act_space.start()); }, id), "an action of n was taken");
      expect(rejects([&] { env->step(int64_t{act_space.start() - 1}); }, id), "an action below start was taken");
    } else if (act_space.kind() == Space::Kind::Box) {
      std::vector<float> nan(act_space.numel(), 0.f);
      nan[0] = NAN;
      expect(rejects([&] { env->step(nan); }, "not finite"), "a NaN action was taken");
      expect(rejects([&] { env->step(std::vector<float>(act_space.numel() + 1, 0.f)); }, id),
             "an action with too many elements was taken");
    }
    return std::string();
  });

  check("get_state/set_state round-trip and replay the same future", [&] {
    Rng rng(9);
    env->reset(9);
    for (int i = 0; i < 5; ++i) env->step(random_action(*env, rng));
    const std::vector<double> state = env->get_state();
    expect(state.size() == env->state_names().size(), "get_state() and state_names() differ in length");
    std::vector<Array> actions;
    std::vector<std::vector<uint8_t>> first;
    for (int i = 0; i < 5; ++i) {
      actions.push_back(random_action(*env, rng));
      first.push_back(env->step(actions.back()).obs.bytes);
    }
    env->set_state(state);
    expect(env->get_state() == state, "get_state() after set_state(s) is not s");
    if (env->set_state_replays())
      for (int i = 0; i < 5; ++i)
        expect(env->step(actions[i]).obs.bytes == first[i], "the replay differs at step " + std::to_string(i + 1));
    expect(rejects([&] { env->set_state(std::vector<double>(state.size() + 1, 0.0)); }, ""),
           "a state of the wrong length was taken");
    return env->set_state_replays() ? std::string() : std::string("(state alone does not replay this engine)");
  });

  check("render gives an RGB frame", [&] {
    env->reset(0);
    const Array frame = env->render();
    expect(frame.dtype == DType::UInt8 && frame.shape.size() == 3 && frame.shape[2] == 3,
           "render() is not uint8 [height, width, 3]");
    std::ostringstream s;
    s << frame.shape[0] << "x" << frame.shape[1];
    return s.str();
  });
  return out;
}

}  // namespace rlarena
