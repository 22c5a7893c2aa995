// rlarena render ENV: a picture (.png, the first frame) or a video (.mp4, .gif) of
// K episodes under a random or the env's scripted policy.
#include <cstdio>
#include <iostream>

#include "cli/media.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "envs/core/error.h"
#include "envs/core/registry.h"

namespace rlarena::cli {

int cmd_render(const Args& args) {
  po::options_description options("render options");
  options.add_options()("env", po::value<std::string>()->required(), "env id, e.g. CartPole-v1")(
      "policy", po::value<std::string>()->default_value("random"),
      "random, or heuristic (the env's scripted controller, where it has one); checkpoints come with the agents")(
      "seed", po::value<uint64_t>()->default_value(0), "seed of the first episode (and of the random policy)")(
      "episodes", po::value<int>()->default_value(1), "episodes in the video")(
      "max-steps", po::value<int64_t>()->default_value(0), "at most this many steps an episode (0: the env's limit)")(
      "fps", po::value<int>()->default_value(30), "video frames per second")(
      "out", po::value<std::string>()->required(), "episode.mp4, episode.gif, or frame.png (the first frame)");
  add_kwarg_option(options);
  po::positional_options_description positional;
  positional.add("env", 1);
  po::variables_map vm;
  if (!parse("render", "ENV --out FILE.mp4|.gif|.png [options]", args, options, positional, vm)) return 0;
  const std::string id = vm["env"].as<std::string>(), policy = vm["policy"].as<std::string>();
  const std::string out = vm["out"].as<std::string>();
  const int episodes = vm["episodes"].as<int>();
  const int64_t max_steps = vm["max-steps"].as<int64_t>();
  const uint64_t seed = vm["seed"].as<uint64_t>();
  if (policy != "random" && policy != "heuristic")
    throw Error("--policy " + policy + ": give random or heuristic (checkpoint policies arrive with the agents)");
  if (episodes < 1) throw Error("--episodes " + std::to_string(episodes) + "; give 1 or more");
  auto env = make(id, kwargs_from(vm));
  Array action = Array::zeros(env->action_space());
  env->reset(seed);
  if (policy == "heuristic" && !env->heuristic_action(action.data()))
    throw Error(id + " has no scripted controller; use --policy random");

  const bool picture = out.size() >= 4 && out.substr(out.size() - 4) == ".png";
  if (picture) {
    env->reset(seed);
    write_png(out, env->render());
    std::printf("%s: first frame of %s\n", out.c_str(), id.c_str());
    return 0;
  }
  VideoWriter video(out, vm["fps"].as<int>());
  Rng rng(seed);
  Progress progress("render " + id, episodes);
  double total_return = 0;
  for (int e = 0; e < episodes; ++e) {
    env->reset(seed + e);
    video.add(env->render());
    for (int64_t t = 0; max_steps == 0 || t < max_steps; ++t) {
      if (policy == "heuristic") env->heuristic_action(action.data());
      else env->action_space().sample(rng, action.data());
      const StepResult r = env->step(action);
      total_return += r.reward;
      video.add(env->render());
      if (r.terminated || r.truncated) break;
    }
    progress.update(e + 1, std::to_string(video.frames()) + " frames");
  }
  video.close();
  progress.finish();
  std::printf("%s: %lld frames, %d episode(s) of %s, mean return %.2f\n", out.c_str(),
              static_cast<long long>(video.frames()), episodes, id.c_str(), total_return / episodes);
  return 0;
}

}  // namespace rlarena::cli
