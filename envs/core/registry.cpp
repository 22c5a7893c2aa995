#include "envs/core/registry.h"

#include "envs/core/preprocessing.h"

namespace rlarena {

template <>
Registry& Registry::global() {
  static Registry registry("env", "rlarena envs");
  return registry;
}

std::unique_ptr<Env> make(const std::string& id, const Kwargs& kwargs) {
  const Registry& registry = Registry::global();
  Kwargs options = registry.spec(id).default_kwargs.merged(kwargs);
  const PreprocessOptions preprocess = PreprocessOptions::take(options);
  if (!preprocess.any()) return registry.make_with(id, options);
  // The time limit counts the wrapper's steps, as RL Zoo's FrameSkip around gym.make's TimeLimit.
  const int64_t limit = options.get_int("max_episode_steps", registry.spec(id).max_episode_steps);
  if (limit < 0)
    throw Error(id + ": max_episode_steps=" + std::to_string(limit) +
                " is negative; give 0 (no limit) or a positive step count");
  options.set("max_episode_steps", "0");
  return std::make_unique<Preprocessed>(registry.make_with(id, options), preprocess, limit);
}

}  // namespace rlarena
