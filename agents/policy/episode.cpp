#include "agents/policy/episode.h"

#include <string>

namespace rlarena {

EpisodeResult run_episode(Env& env, const Array& obs, Policy& policy, Acting acting, int64_t max_steps,
                          const std::function<void(const Array& action, const StepResult& result)>& on_step) {
  EpisodeResult out;
  Array action = Array::zeros(env.action_space());
  Array current = obs;
  Env* envs[1] = {&env};
  while (max_steps == 0 || out.length < max_steps) {
    policy.act({current.data(), 1, envs}, acting, action.data());
    StepResult r = env.step(action);
    out.episode_return += r.reward;
    ++out.length;
    on_step(action, r);
    if (r.terminated || r.truncated) {
      out.ended = true;
      break;
    }
    current = std::move(r.obs);
  }
  return out;
}

std::vector<EpisodeResult> record_episodes(Env& env, Policy& policy, const VideoOptions& o, VideoWriter& video,
                                           Progress* progress) {
  std::vector<EpisodeResult> results;
  for (int e = 0; e < o.episodes; ++e) {
    const Array first = env.reset(o.seed + e);
    video.add(env.render());
    results.push_back(
        run_episode(env, first, policy, o.acting, o.max_steps, [&](const Array&, const StepResult&) {
          video.add(env.render());
        }));
    if (progress) progress->update(e + 1, std::to_string(video.frames()) + " frames");
  }
  return results;
}

}  // namespace rlarena
