#include "envs/core/kwargs.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/error.h"

namespace rlarena {

Kwargs Kwargs::parse(const std::vector<std::string>& items) {
  Kwargs k;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error("env option '" + item + "' is not key=value; write it like ctrl_cost_weight=0.1");
    k.values_[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return k;
}

Kwargs Kwargs::merged(const Kwargs& other) const {
  Kwargs k = *this;
  for (const auto& [key, value] : other.values_) k.values_[key] = value;
  return k;
}

namespace {
std::string number_text(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}
}  // namespace

void Kwargs::note_default(const std::string& key, const std::string& fallback) const {
  defaults_.emplace(key, fallback);  // the first getter's fallback is the env's default
}

const std::string* Kwargs::lookup(const std::string& key) const {
  read_.insert(key);
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

double Kwargs::get_double(const std::string& key, double fallback) const {
  note_default(key, number_text(fallback));
  const std::string* v = lookup(key);
  if (!v) return fallback;
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(v->c_str(), &end);
  if (v->empty() || *end != '\0' || errno == ERANGE || std::isnan(d))
    throw Error("env option " + key + "='" + *v + "' is not a number; give e.g. " + key + "=0.5");
  return d;
}

int64_t Kwargs::get_int(const std::string& key, int64_t fallback) const {
  note_default(key, std::to_string(fallback));
  const std::string* v = lookup(key);
  if (!v) return fallback;
  char* end = nullptr;
  errno = 0;
  const long long i = std::strtoll(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || errno == ERANGE)
    throw Error("env option " + key + "='" + *v + "' is not an integer; give e.g. " + key + "=3");
  return i;
}

bool Kwargs::get_bool(const std::string& key, bool fallback) const {
  note_default(key, fallback ? "true" : "false");
  const std::string* v = lookup(key);
  if (!v) return fallback;
  if (*v == "true" || *v == "True" || *v == "1") return true;
  if (*v == "false" || *v == "False" || *v == "0") return false;
  throw Error("env option " + key + "='" + *v + "' is not a boolean; give " + key + "=true or " +
              key + "=false");
}

std::string Kwargs::get_string(const std::string& key, const std::string& fallback) const {
  note_default(key, fallback);
  const std::string* v = lookup(key);
  return v ? *v : fallback;
}

std::pair<double, double> Kwargs::get_range(const std::string& key,
                                            std::pair<double, double> fallback) const {
  note_default(key, number_text(fallback.first) + "," + number_text(fallback.second));
  const std::string* v = lookup(key);
  if (!v) return fallback;
  std::string text;
  for (char c : *v)
    if (c != '(' && c != ')' && c != '[' && c != ']' && c != ' ') text += c;
  const auto comma = text.find(',');
  const std::string example = " is not a range; give e.g. " + key + "=0.7,inf (low,high)";
  if (comma == std::string::npos) throw Error("env option " + key + "='" + *v + "'" + example);
  double bounds[2];
  const std::string parts[2] = {text.substr(0, comma), text.substr(comma + 1)};
  for (int i = 0; i < 2; ++i) {
    char* end = nullptr;
    bounds[i] = std::strtod(parts[i].c_str(), &end);
    if (parts[i].empty() || *end != '\0') throw Error("env option " + key + "='" + *v + "'" + example);
  }
  if (bounds[0] > bounds[1])
    throw Error("env option " + key + "='" + *v + "' has low > high; give low,high");
  return {bounds[0], bounds[1]};
}

std::vector<std::string> Kwargs::unread() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : values_)
    if (!read_.count(key)) out.push_back(key);
  return out;
}

std::string Kwargs::repr() const {
  std::string s;
  for (const auto& [key, value] : values_) s += (s.empty() ? "" : ",") + key + "=" + value;
  return s;
}

}  // namespace rlarena
