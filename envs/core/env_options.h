// What an env's options are: each option an env reads, its default for that id and
// what it means (Gymnasium's gym.make keyword arguments), for `rlarena envs ID`.
#pragma once
#include <string>
#include <vector>

namespace rlarena {

struct EnvOption {
  std::string name;
  std::string default_value;  // as text, as it would be given (e.g. "0.2,1" for a range)
  std::string meaning;
};

// The options of `id`, by name: found by making the env with its defaults and
// recording what it reads. Includes max_episode_steps.
std::vector<EnvOption> env_options(const std::string& id);

// The meaning of an option name shared by the envs that read it ("" when unknown).
std::string option_meaning(const std::string& name);

}  // namespace rlarena
