// rlarena render [ENV] --policy P --out FILE: a picture (.png, the first frame) or a
// video (.mp4, .gif) of K episodes under a random player, the env's scripted
// controller, or a trained policy (a run directory or checkpoint; its env is the default).
#include <cstdio>
#include <string>

#include "agents/policy/episode.h"
#include "cli/options.h"
#include "common/error.h"
#include "common/progress.h"
#include "envs/render/media.h"

namespace rlarena::cli {

int cmd_render(const Args& args) {
  po::options_description options("render options");
  add_policy_options(options);
  options.add_options()("seed", po::value<Seed>()->default_value({0}),
                        "episode e starts from reset(seed + e); also seeds the random player")(
      "episodes", po::value<Count>()->default_value({1}), "episodes in the video")(
      "max-steps", po::value<Limit>()->default_value({0}), "at most this many steps an episode (0: the env's limit)")(
      "fps", po::value<Count>()->default_value({30}), "video frames per second")(
      "out", po::value<OutPath>()->required(), "episode.mp4, episode.gif, or frame.png (the first frame)");
  po::positional_options_description positional;
  positional.add("env", 1);
  po::variables_map vm;
  if (!parse("render", "[ENV] --out FILE.mp4|.gif|.png [--policy random|heuristic|RUN_DIR] [options]", args, options,
             positional, vm))
    return 0;
  const std::string out = vm["out"].as<OutPath>().value;
  if (vm["episodes"].as<Count>().value > 100000) throw Error("--episodes: give at most 100000 episodes in a video");
  VideoOptions o;
  o.seed = vm["seed"].as<Seed>().value;
  o.episodes = static_cast<int>(vm["episodes"].as<Count>().value);
  o.max_steps = vm["max-steps"].as<Limit>().value;
  o.acting = acting_from(vm);
  PolicyInEnv p = policy_in_env(vm, o.seed);

  const bool picture = out.size() >= 4 && out.substr(out.size() - 4) == ".png";
  if (picture) {
    p.env->reset(o.seed);
    write_png(out, p.env->render());
    std::printf("%s: first frame of %s\n", out.c_str(), p.env_id.c_str());
    return 0;
  }
  VideoWriter video(out, static_cast<int>(std::min<int64_t>(vm["fps"].as<Count>().value, 1000)));
  Progress progress("render " + p.env_id, o.episodes);
  const std::vector<EpisodeResult> episodes = record_episodes(*p.env, *p.policy, o, video, &progress);
  video.close();
  progress.finish();
  double total = 0;
  std::string returns;
  for (const auto& e : episodes) {
    char one[64];
    std::snprintf(one, sizeof one, "%.10g in %lld steps", e.episode_return, static_cast<long long>(e.length));
    total += e.episode_return;
    returns += (returns.empty() ? "" : ", ") + std::string(one);
  }
  std::printf("%s: %lld frames, %d episode(s) of %s, mean return %.2f (returns: %s)\n", out.c_str(),
              static_cast<long long>(video.frames()), o.episodes, p.env_id.c_str(), total / o.episodes,
              returns.c_str());
  return 0;
}

}  // namespace rlarena::cli
