#include "agents/common/recipe.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include <boost/program_options.hpp>

#include "common/closest.h"
#include "common/error.h"

namespace rlarena {

RawConfig read_config(const std::string& text, const std::string& source) {
  namespace po = boost::program_options;
  std::istringstream in(text);
  RawConfig out;
  try {
    const po::options_description none;
    const auto parsed = po::parse_config_file(in, none, /*allow_unregistered=*/true);
    for (const auto& option : parsed.options)
      for (const auto& v : option.value) out[option.string_key].push_back(v);
  } catch (const po::error& e) {
    throw Error(source + ": " + e.what() + "; write one key = value per line");
  }
  return out;
}

RawConfig read_overrides(const std::vector<std::string>& words) {
  RawConfig out;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.rfind("--", 0) != 0 || w.size() < 3)
      throw Error("unexpected '" + w + "'; give recipe keys as --key value (e.g. --seed 3)");
    const size_t eq = w.find('=');
    if (eq != std::string::npos) {
      out[w.substr(2, eq - 2)].push_back(w.substr(eq + 1));
    } else if (i + 1 < words.size()) {
      out[w.substr(2)].push_back(words[++i]);
    } else {
      throw Error(w + " needs a value (e.g. " + w + " 3)");
    }
  }
  return out;
}

Recipe::Recipe(std::vector<KeySpec> keys, const RawConfig& given)
    : keys_(std::move(keys)) {
  for (const auto& k : keys_)
    if (!k.repeatable) values_[k.name] = {k.default_value};
    else values_[k.name] = {};
  for (const auto& [key, values] : given) {
    const KeySpec& s = spec(key);
    if (!s.repeatable && values.size() != 1)
      throw Error(key + " is given " + std::to_string(values.size()) + " times; give it once");
    values_[key] = values;
  }
}

void set_default(std::vector<KeySpec>& keys, const std::string& name, const std::string& value) {
  for (auto& k : keys)
    if (k.name == name) {
      k.default_value = value;
      return;
    }
  throw Error("set_default: no key '" + name + "'");
}

void Recipe::fail(const std::string& what) const { throw Error(source_.empty() ? what : source_ + ": " + what); }

bool Recipe::has(const std::string& key) const {
  for (const auto& k : keys_)
    if (k.name == key) return true;
  return false;
}

const KeySpec& Recipe::spec(const std::string& key) const {
  for (const auto& k : keys_)
    if (k.name == key) return k;
  std::vector<std::string> names;
  for (const auto& k : keys_) names.push_back(k.name);
  throw Error("unknown recipe key '" + key + "'; did you mean " + or_list(closest_names(key, names)) +
              "? (`rlarena train --help` lists every key)");
}

const std::string& Recipe::text(const std::string& key) const {
  spec(key);
  return values_.at(key).at(0);
}

const std::vector<std::string>& Recipe::texts(const std::string& key) const {
  spec(key);
  return values_.at(key);
}

int64_t Recipe::integer(const std::string& key, int64_t min) const {
  const std::string& t = text(key);
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(t.c_str(), &end, 10);
  if (t.empty() || *end != '\0' || errno == ERANGE)
    fail(key + " = " + t + " is not a whole number; give e.g. " + spec(key).default_value);
  if (v < min) fail(key + " = " + t + " is too small; give " + std::to_string(min) + " or more");
  return v;
}

double Recipe::number(const std::string& key) const {
  const std::string& t = text(key);
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0' || !std::isfinite(v))
    fail(key + " = " + t + " is not a number; give e.g. " + spec(key).default_value);
  return v;
}

double Recipe::number_in(const std::string& key, double low, double high) const {
  const double v = number(key);
  if (v < low || v > high) {
    std::ostringstream s;
    s << key << " = " << text(key) << " is out of range; give a value in [" << low << ", " << high << "]";
    fail(s.str());
  }
  return v;
}

bool Recipe::flag(const std::string& key) const {
  const std::string& t = text(key);
  if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
  if (t == "false" || t == "0" || t == "no" || t == "off") return false;
  fail(key + " = " + t + " is not true or false; give " + key + " = true or " + key + " = false");
}

std::vector<int64_t> Recipe::list(const std::string& key) const {
  try {
    return parse_positive_list(text(key), key + " = " + text(key), key + " = " + spec(key).default_value);
  } catch (const Error& e) {
    fail(e.what());
  }
}

std::vector<double> Recipe::numbers(const std::string& key) const {
  std::vector<double> out;
  if (text(key).empty()) return out;
  std::stringstream in(text(key));
  std::string item;
  while (std::getline(in, item, ',')) {
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    if (item.empty() || *end != '\0' || !std::isfinite(v))
      fail(key + " = " + text(key) + " is not a list of numbers; give e.g. " + key + " = 0.01,0,0.1");
    out.push_back(v);
  }
  if (text(key).back() == ',') fail(key + " = " + text(key) + " ends in a comma; give e.g. " + key + " = 0.01,0,0.1");
  return out;
}

Kwargs Recipe::kwargs() const { return Kwargs::parse(texts("kwarg")); }

std::string Recipe::config_text(const std::string& header) const {
  std::string out = header;
  for (const auto& k : keys_)
    for (const auto& v : values_.at(k.name)) out += k.name + " = " + v + "\n";
  return out;
}

std::vector<int64_t> parse_positive_list(const std::string& text, const std::string& what,
                                         const std::string& example) {
  const Error bad(what + " is not a list of whole numbers >= 1; give e.g. " + example);
  std::vector<int64_t> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    char* end = nullptr;
    const long long v = std::strtoll(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || v < 1) throw bad;
    out.push_back(v);
  }
  if (out.empty()) throw bad;
  return out;
}

}  // namespace rlarena
