#include "cli/options.h"

#include <iostream>
#include <sstream>

#include "envs/core/error.h"

namespace rlarena::cli {

bool parse(const std::string& command, const std::string& usage, const Args& args,
           po::options_description& options, const po::positional_options_description& positional,
           po::variables_map& vm) {
  options.add_options()("help,h", "show this help");
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: rlarena " << command << " " << usage << "\n\n" << options << "\n";
    return false;
  }
  po::notify(vm);
  return true;
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

void add_kwarg_option(po::options_description& options) {
  options.add_options()("kwarg", po::value<std::vector<std::string>>()->composing(),
                        "env option key=value, repeatable (as gym.make(id, key=value))");
}

Kwargs kwargs_from(const po::variables_map& vm) {
  if (!vm.count("kwarg")) return {};
  return Kwargs::parse(vm["kwarg"].as<std::vector<std::string>>());
}

}  // namespace rlarena::cli
