// RegistryOf<E>: env ids -> constructors, as Gymnasium's gym.make, for one kind of
// env (single-agent Env, multi-agent MultiAgentEnv). Each kind has one global
// registry, declared by its own header (envs/core/registry.h, envs/multi/multi_registry.h).
#pragma once
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/closest.h"
#include "common/error.h"
#include "envs/core/env_spec.h"
#include "envs/core/kwargs.h"

namespace rlarena {

template <typename E>
class RegistryOf {
 public:
  using Factory = std::function<std::unique_ptr<E>(const EnvSpec&, const Kwargs&)>;

  // Defined once per kind, by the .cpp of the header that names the kind.
  static RegistryOf& global();
  // `kind` names the ids in messages ("env", "multi-agent env"); `lister` is the
  // command that lists them.
  RegistryOf(std::string kind, std::string lister) : kind_(std::move(kind)), lister_(std::move(lister)) {}

  void add(EnvSpec spec, Factory factory) {
    const std::string id = spec.id;
    if (entries_.count(id)) throw Error(kind_ + " id " + id + " is registered twice");
    entries_.emplace(id, Entry{std::move(spec), std::move(factory)});
  }
  bool has(const std::string& id) const { return entries_.count(id) > 0; }

  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& entry : entries_) out.push_back(entry.first);
    return out;
  }

  // The registered ids closest to `id` (edit distance, ignoring case), best first.
  std::vector<std::string> closest(const std::string& id, size_t count = 3) const {
    auto lower = [](std::string s) {
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    const std::string key = lower(id);
    std::vector<std::pair<size_t, std::string>> scored;
    for (const auto& entry : entries_) {
      const std::string k = lower(entry.first);
      // A shared name with another version (CartPole-v0 -> CartPole-v1) ranks first.
      const bool same_name = k.substr(0, k.rfind("-v")) == key.substr(0, key.rfind("-v"));
      scored.emplace_back(same_name ? 0 : edit_distance(key, k) + 1, entry.first);
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (size_t i = 0; i < scored.size() && i < count; ++i) out.push_back(scored[i].second);
    return out;
  }

  // The spec of `id`; unknown ids raise NotFound naming the closest registered ids.
  const EnvSpec& spec(const std::string& id) const {
    auto it = entries_.find(id);
    if (it == entries_.end()) {
      std::string hint;
      for (const auto& c : closest(id)) hint += (hint.empty() ? "" : ", ") + c;
      throw NotFound("unknown " + kind_ + " id '" + id + "'; did you mean " + hint + "? (`" + lister_ +
                     "` lists them all)");
    }
    return it->second.spec;
  }

  // Builds `id` with its default options overridden by `kwargs`. The option
  // `max_episode_steps` overrides the time limit, as in gym.make.
  std::unique_ptr<E> make(const std::string& id, const Kwargs& kwargs = {}) const {
    return make_with(id, spec(id).default_kwargs.merged(kwargs));
  }

  // Builds `id` with exactly `options` (defaults not merged in), leaving in them what
  // the env read (Kwargs::read_keys, Kwargs::defaults): how env_options finds an env's options.
  std::unique_ptr<E> make_with(const std::string& id, const Kwargs& options) const {
    EnvSpec s = spec(id);
    const int64_t limit = options.get_int("max_episode_steps", s.max_episode_steps);
    if (limit < 0)
      throw Error(id + ": max_episode_steps=" + std::to_string(limit) +
                  " is negative; give 0 (no limit) or a positive step count");
    s.max_episode_steps = limit;
    std::unique_ptr<E> env = entries_.at(id).factory(s, options);
    const auto unread = options.unread();
    if (!unread.empty()) {
      // Every key the env asked for is a valid option, whether it was given or not.
      std::string valid;
      for (const auto& k : options.read_keys()) valid += (valid.empty() ? "" : ", ") + k;
      throw Error(id + " has no option '" + unread.front() + "'; its options are: " + valid);
    }
    return env;
  }

 private:
  struct Entry {
    EnvSpec spec;
    Factory factory;
  };
  std::string kind_, lister_;
  std::map<std::string, Entry> entries_;
};

}  // namespace rlarena
