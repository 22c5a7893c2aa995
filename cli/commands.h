// The `rlarena` sub-commands; each lives in cmd_<name>.cpp and returns an exit code.
// User mistakes are thrown as rlarena::Error (or Boost's option errors); main()
// prints them on one line and exits 2.
#pragma once
#include <string>
#include <vector>

namespace rlarena::cli {

using Args = std::vector<std::string>;  // the words after the command name

int cmd_envs(const Args& args);
int cmd_bench(const Args& args);
int cmd_rollout(const Args& args);
int cmd_dataset(const Args& args);
int cmd_render(const Args& args);
int cmd_train(const Args& args);
int cmd_eval(const Args& args);
int cmd_plot(const Args& args);
int cmd_tournament(const Args& args);

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Args&);
};
const std::vector<Command>& commands();

}  // namespace rlarena::cli
