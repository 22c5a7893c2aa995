// Kwargs: constructor options of an env (Gymnasium's gym.make(id, **kwargs)), kept
// as text so the CLI and recipes pass them through unchanged. Typed getters parse
// and remember which keys an env read, so an unknown key is reported, not ignored.
#pragma once
#include <map>
#include <utility>
#include <set>
#include <string>
#include <vector>

namespace rlarena {

class Kwargs {
 public:
  Kwargs() = default;
  Kwargs(std::initializer_list<std::pair<const std::string, std::string>> init) : values_(init) {}
  // Parses "key=value" items, as given on the command line.
  static Kwargs parse(const std::vector<std::string>& items);

  void set(const std::string& key, const std::string& value) { values_[key] = value; }
  bool has(const std::string& key) const { return values_.count(key) > 0; }
  // `other`'s values win.
  Kwargs merged(const Kwargs& other) const;

  double get_double(const std::string& key, double fallback) const;
  int64_t get_int(const std::string& key, int64_t fallback) const;
  bool get_bool(const std::string& key, bool fallback) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  // A (low, high) pair written "low,high" (brackets allowed, "inf" too), as
  // Gymnasium's tuple options like healthy_z_range=(0.7, inf).
  std::pair<double, double> get_range(const std::string& key, std::pair<double, double> fallback) const;

  // Keys given but never read by a getter.
  std::vector<std::string> unread() const;
  // Keys a getter asked for so far, given or not: an env's valid options.
  const std::set<std::string>& read_keys() const { return read_; }
  // For each key read, the default its getter fell back to, as text.
  const std::map<std::string, std::string>& defaults() const { return defaults_; }
  const std::map<std::string, std::string>& items() const { return values_; }
  std::string repr() const;  // "k1=v1,k2=v2"

 private:
  const std::string* lookup(const std::string& key) const;
  void note_default(const std::string& key, const std::string& fallback) const;
  std::map<std::string, std::string> values_;
  mutable std::set<std::string> read_;
  mutable std::map<std::string, std::string> defaults_;
};

}  // namespace rlarena
