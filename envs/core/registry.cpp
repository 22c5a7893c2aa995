#include "envs/core/registry.h"

#include <algorithm>
#include <cctype>

#include "common/closest.h"
#include "common/error.h"

namespace rlarena {

Registry& Registry::global() {
  static Registry registry;
  return registry;
}

void Registry::add(EnvSpec spec, EnvFactory factory) {
  const std::string id = spec.id;
  if (entries_.count(id)) throw Error("env id " + id + " is registered twice");
  entries_.emplace(id, Entry{std::move(spec), std::move(factory)});
}

std::vector<std::string> Registry::ids() const {
  std::vector<std::string> out;
  for (const auto& [id, entry] : entries_) out.push_back(id);
  return out;
}

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

std::vector<std::string> Registry::closest(const std::string& id, size_t count) const {
  const std::string key = lower(id);
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& [known, entry] : entries_) {
    const std::string k = lower(known);
    // A shared name with another version (CartPole-v0 -> CartPole-v1) ranks first.
    const bool same_name = k.substr(0, k.rfind("-v")) == key.substr(0, key.rfind("-v"));
    scored.emplace_back(same_name ? 0 : edit_distance(key, k) + 1, known);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < count; ++i) out.push_back(scored[i].second);
  return out;
}

const EnvSpec& Registry::spec(const std::string& id) const {
  auto it = entries_.find(id);
  if (it == entries_.end()) {
    std::string hint;
    for (const auto& c : closest(id)) hint += (hint.empty() ? "" : ", ") + c;
    throw NotFound("unknown env id '" + id + "'; did you mean " + hint +
                "? (`rlarena envs` lists them all)");
  }
  return it->second.spec;
}

std::unique_ptr<Env> Registry::make(const std::string& id, const Kwargs& kwargs) const {
  const Kwargs options = spec(id).default_kwargs.merged(kwargs);
  return make_with(id, options);
}

std::unique_ptr<Env> Registry::make_with(const std::string& id, const Kwargs& options) const {
  EnvSpec spec = this->spec(id);
  const int64_t limit = options.get_int("max_episode_steps", spec.max_episode_steps);
  if (limit < 0)
    throw Error(id + ": max_episode_steps=" + std::to_string(limit) +
                " is negative; give 0 (no limit) or a positive step count");
  spec.max_episode_steps = limit;
  std::unique_ptr<Env> env = entries_.at(id).factory(spec, options);
  const auto unread = options.unread();
  if (!unread.empty()) {
    // Every key the env asked for is a valid option, whether it was given or not.
    std::string valid;
    for (const auto& k : options.read_keys()) valid += (valid.empty() ? "" : ", ") + k;
    throw Error(id + " has no option '" + unread.front() + "'; its options are: " + valid);
  }
  return env;
}

}  // namespace rlarena
