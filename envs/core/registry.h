// Registry: env ids -> constructors, as Gymnasium's gym.make. An env registers in
// one line in its own .cpp:
//   static const bool registered = register_env<CartPole>({"CartPole-v1", 500, 475.0});
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "envs/core/env.h"
#include "envs/core/env_spec.h"
#include "envs/core/kwargs.h"

namespace rlarena {

using EnvFactory = std::function<std::unique_ptr<Env>(const EnvSpec&, const Kwargs&)>;

class Registry {
 public:
  static Registry& global();

  void add(EnvSpec spec, EnvFactory factory);
  bool has(const std::string& id) const { return entries_.count(id) > 0; }
  // The spec of `id`; unknown ids raise an Error naming the closest registered ids.
  const EnvSpec& spec(const std::string& id) const;
  std::vector<std::string> ids() const;
  // The registered ids closest to `id` (edit distance, ignoring case), best first.
  std::vector<std::string> closest(const std::string& id, size_t count = 3) const;
  // Builds `id` with its default options overridden by `kwargs`. The option
  // `max_episode_steps` overrides the time limit, as in gym.make.
  std::unique_ptr<Env> make(const std::string& id, const Kwargs& kwargs = {}) const;
  // Builds `id` with exactly `options` (defaults not merged in), leaving in them what
  // the env read (Kwargs::read_keys, Kwargs::defaults): how env_options finds an env's options.
  std::unique_ptr<Env> make_with(const std::string& id, const Kwargs& options) const;

 private:
  struct Entry {
    EnvSpec spec;
    EnvFactory factory;
  };
  std::map<std::string, Entry> entries_;
};

template <typename EnvT>
bool register_env(EnvSpec spec) {
  Registry::global().add(std::move(spec), [](const EnvSpec& s, const Kwargs& k) {
    return std::unique_ptr<Env>(new EnvT(s, k));
  });
  return true;
}

inline std::unique_ptr<Env> make(const std::string& id, const Kwargs& kwargs = {}) {
  return Registry::global().make(id, kwargs);
}

}  // namespace rlarena
