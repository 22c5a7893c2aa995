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


void add_kwarg_option(po::options_description& options) {
  options.add_options()("kwarg", po::value<std::vector<std::string>>()->composing(),
                        "env option key=value, repeatable (as gym.make(id, key=value))");
}

Kwargs kwargs_from(const po::variables_map& vm) {
  if (!vm.count("kwarg")) return {};
  return Kwargs::parse(vm["kwarg"].as<std::vector<std::string>>());
}

}  // namespace rlarena::cli
