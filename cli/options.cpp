#include "cli/options.h"

#include <cerrno>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "agents/common/torch_threads.h"
#include "common/error.h"
#include "replay/locate.h"

namespace rlarena::cli {

namespace {

namespace fs = std::filesystem;

// A bad value; Boost fills in the option's name when it reports it.
[[noreturn]] void bad_value(const std::string& value, const std::string& what) {
  po::error_with_option_name e("'%value%' for option '%canonical_option%' is " + what);
  e.set_substitute("value", value);
  throw e;
}

// The one value given (an option given twice is an error).
const std::string& single(const boost::any& v, const std::vector<std::string>& values) {
  po::validators::check_first_occurrence(v);
  return po::validators::get_single_string(values);
}

long long whole_number(const std::string& text, long long min, const std::string& what) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || v < min) bad_value(text, what);
  return v;
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const Seed& v) { return out << v.value; }
std::ostream& operator<<(std::ostream& out, const Count& v) { return out << v.value; }
std::ostream& operator<<(std::ostream& out, const Limit& v) { return out << v.value; }
std::ostream& operator<<(std::ostream& out, const Seconds& v) { return out << v.value; }
std::ostream& operator<<(std::ostream& out, const InPath& v) { return out << v.value; }
std::ostream& operator<<(std::ostream& out, const OutPath& v) { return out << v.value; }
std::ostream& operator<<(std::ostream& out, const DatasetRef& v) { return out << v.value; }

void validate(boost::any& v, const std::vector<std::string>& values, Seed*, int) {
  v = Seed{static_cast<uint64_t>(
      whole_number(single(v, values), 0, "not a seed; give a whole number from 0 to 9223372036854775807"))};
}

void validate(boost::any& v, const std::vector<std::string>& values, Count*, int) {
  v = Count{whole_number(single(v, values), 1, "not a whole number >= 1; give e.g. 1")};
}

void validate(boost::any& v, const std::vector<std::string>& values, Limit*, int) {
  v = Limit{whole_number(single(v, values), 0, "not a whole number >= 0; give e.g. 0")};
}

void validate(boost::any& v, const std::vector<std::string>& values, Seconds*, int) {
  const std::string& s = single(v, values);
  char* end = nullptr;
  const double x = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !std::isfinite(x) || x <= 0) bad_value(s, "not a number > 0; give e.g. 3");
  v = Seconds{x};
}

void validate(boost::any& v, const std::vector<std::string>& values, InPath*, int) {
  const std::string& s = single(v, values);
  std::error_code ec;
  if (s.empty() || !fs::exists(s, ec)) bad_value(s, "not an existing file or directory; check the path");
  v = InPath{s};
}

void validate(boost::any& v, const std::vector<std::string>& values, DatasetRef*, int) {
  const std::string& s = single(v, values);
  std::error_code ec;
  if (s.empty()) bad_value(s, "not a dataset; give a file, a Minari dataset directory or id");
  if (fs::exists(s, ec)) {
    v = DatasetRef{s};
    return;
  }
  if (!is_dataset_id(s))
    bad_value(s, "not an existing file or directory, nor a Minari dataset id (namespace/name-vN); check the path");
  if (!fs::exists(dataset_dir_for_id(s), ec))
    bad_value(s, "not in the Minari root " + minari_root() +
                     " (MINARI_DATASETS_PATH sets it); `rlarena dataset list` lists the datasets there");
  v = DatasetRef{dataset_dir_for_id(s)};
}

void validate(boost::any& v, const std::vector<std::string>& values, OutPath*, int) {
  const std::string& s = single(v, values);
  std::error_code ec;
  if (s == "-") {
    v = OutPath{s};
    return;
  }
  if (s.empty() || fs::is_directory(s, ec)) bad_value(s, "a directory, not a file to write; give a file name");
  const fs::path folder = fs::path(s).parent_path().empty() ? fs::path(".") : fs::path(s).parent_path();
  if (!fs::is_directory(folder, ec))
    bad_value(s, "in a folder that does not exist (" + folder.string() + "); create it or give another path");
  v = OutPath{s};
}

bool parse(const std::string& command, const std::string& usage, const Args& args,
           po::options_description& options, const po::positional_options_description& positional,
           po::variables_map& vm) {
  options.add_options()("help,h", "show this help");
  // No guessing: an abbreviation (--ou for --out) is an unknown option, not a silent match.
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::store(po::command_line_parser(args).options(options).positional(positional).style(style).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: rlarena " << command << " " << usage << "\n\n" << options << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}


void add_kwarg_option(po::options_description& options) {
  options.add_options()("kwarg", po::value<std::vector<std::string>>()->composing(),
                        "env option key=value, repeatable (as gym.make(id, key=value))");
}

Kwargs kwargs_from(const po::variables_map& vm) {
  if (!vm.count("kwarg")) return {};
  return Kwargs::parse(vm["kwarg"].as<std::vector<std::string>>());
}

void add_policy_options(po::options_description& options) {
  options.add_options()("env", po::value<std::string>(),
                        "env id, e.g. CartPole-v1 (default: the trained policy's env)")(
      "policy", po::value<std::string>()->default_value("random"),
      "random, heuristic (the env's scripted controller), or a run directory or checkpoint file (its policy)")(
      "stochastic", po::bool_switch(), "a trained policy samples its actions (default: its mode)");
  add_kwarg_option(options);
}

Acting acting_from(const po::variables_map& vm) {
  return vm.count("stochastic") && vm["stochastic"].as<bool>() ? Acting::Stochastic : Acting::Deterministic;
}

PolicyInEnv policy_in_env(const po::variables_map& vm, uint64_t seed) {
  set_torch_threads(1);
  set_blas_threads(1);
  return rlarena::policy_in_env(vm["policy"].as<std::string>(), vm.count("env") ? vm["env"].as<std::string>() : "",
                                kwargs_from(vm), seed);
}

}  // namespace rlarena::cli
