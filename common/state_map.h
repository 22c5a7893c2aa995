// StateMap: a checkpoint's contents as named byte arrays: every object's full state
// (an env's episode log, a space, a store's columns, a sampler's tree, a network's
// parameters, a generator), so that a resumed run continues exactly.
#pragma once
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "common/error.h"

namespace rlarena {

using StateMap = std::map<std::string, std::vector<uint8_t>>;

template <typename T>
void put_state(StateMap& m, const std::string& name, const std::vector<T>& values) {
  static_assert(std::is_trivially_copyable<T>::value, "plain values only");
  auto& bytes = m[name];
  bytes.resize(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
}

template <typename T>
void put_state(StateMap& m, const std::string& name, const T& value) {
  static_assert(std::is_trivially_copyable<T>::value, "plain values only");
  auto& bytes = m[name];
  bytes.resize(sizeof(T));
  std::memcpy(bytes.data(), &value, sizeof(T));
}

template <typename T>
void get_state(const StateMap& m, const std::string& name, std::vector<T>& values) {
  const auto it = m.find(name);
  if (it == m.end() || it->second.size() % sizeof(T) != 0)
    throw Error("checkpoint: '" + name + "' is missing or has the wrong size; the checkpoint is from another "
                "version or recipe");
  values.resize(it->second.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), it->second.data(), it->second.size());
}

// A value that must keep its size (a column of a store created from the same recipe).
template <typename T>
void get_state_sized(const StateMap& m, const std::string& name, std::vector<T>& values) {
  const size_t expected = values.size();
  get_state(m, name, values);
  if (values.size() != expected)
    throw Error("checkpoint: '" + name + "' holds " + std::to_string(values.size()) + " values; expected " +
                std::to_string(expected) + " (was the recipe changed since the checkpoint?)");
}

template <typename T>
T get_state_value(const StateMap& m, const std::string& name) {
  std::vector<T> v;
  get_state(m, name, v);
  if (v.size() != 1) throw Error("checkpoint: '" + name + "' is not a single value");
  return v[0];
}

// A text (e.g. the recipe that made a checkpoint).
inline void put_text(StateMap& m, const std::string& name, const std::string& text) {
  m[name].assign(text.begin(), text.end());
}
inline std::string get_text(const StateMap& m, const std::string& name) {
  const auto it = m.find(name);
  if (it == m.end())
    throw Error("checkpoint: no '" + name +
                "'; the file is not an rlarena checkpoint, or is from another algorithm or version");
  return std::string(it->second.begin(), it->second.end());
}

}  // namespace rlarena
