// Recipe: a run's settings as key = value texts (a recipe file with command-line
// overrides applied), read by an algorithm through typed getters whose errors name
// the key and give a valid example. KeySpec lists an algorithm's keys and defaults.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "envs/core/kwargs.h"

namespace rlarena {

// Settings as read from a config file or the command line: key -> its values in order.
using RawConfig = std::map<std::string, std::vector<std::string>>;

// key = value lines (Boost.Program_options' config syntax); `source` names the file in errors.
RawConfig read_config(const std::string& text, const std::string& source);
// "--key value" / "--key=value" words; other words are an Error naming them.
RawConfig read_overrides(const std::vector<std::string>& words);

struct KeySpec {
  std::string name, default_value, help;
  bool repeatable = false;  // given once per value (kwarg = k=v)
};

// Sets the default of key `name` in `keys` (an algorithm adapting shared keys); an
// Error when there is no such key.
void set_default(std::vector<KeySpec>& keys, const std::string& name, const std::string& value);

class Recipe {
 public:
  // `given` values override the keys' defaults; every given key must be in `keys`.
  Recipe(std::vector<KeySpec> keys, const RawConfig& given);

  // Where the values came from (a recipe file, a run's config.cfg): errors of the typed
  // getters start with it.
  void set_source(const std::string& source) { source_ = source; }
  const std::string& source() const { return source_; }
  const std::vector<KeySpec>& keys() const { return keys_; }
  bool has(const std::string& key) const;  // whether `key` is one of this recipe's keys
  const std::string& text(const std::string& key) const;
  const std::vector<std::string>& texts(const std::string& key) const;  // repeatable keys
  int64_t integer(const std::string& key, int64_t min = 0) const;       // a whole number >= min
  double number(const std::string& key) const;                          // finite
  double number_in(const std::string& key, double low, double high) const;  // in [low, high]
  bool flag(const std::string& key) const;                              // true/false/1/0/yes/no
  std::vector<int64_t> list(const std::string& key) const;              // "256,256"
  std::vector<double> numbers(const std::string& key) const;            // "0.01,0,0.1"; "" is none
  Kwargs kwargs() const;                                                // the repeated kwarg key
  // The resolved recipe as a config file, every key in order.
  std::string config_text(const std::string& header) const;

 private:
  const KeySpec& spec(const std::string& key) const;
  std::vector<KeySpec> keys_;
  std::map<std::string, std::vector<std::string>> values_;
  std::string source_;
  [[noreturn]] void fail(const std::string& what) const;
};

// "a,b,c" of whole numbers >= 1 (thread counts, layer sizes). A bad or empty list
// is an Error: `what` (e.g. "--threads 1,x") is not a list ...; give e.g. `example`.
std::vector<int64_t> parse_positive_list(const std::string& text, const std::string& what,
                                         const std::string& example);

}  // namespace rlarena
