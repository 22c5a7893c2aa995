// rlarena: the one binary. Dispatches to a sub-command; any user error becomes one
// line on stderr naming the problem and the fix, and exit code 2.
#include <boost/program_options/errors.hpp>
#include <exception>
#include <iostream>
#include <string>

#include "agents/common/torch_threads.h"
#include "cli/commands.h"
#include "common/version.h"
#include "common/error.h"

namespace rlarena::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"train", "train an agent from a recipe file into a run directory (or --resume one)", cmd_train},
      {"eval", "evaluate a trained policy: mean, std, IQM and 95% bootstrap interval of returns", cmd_eval},
      {"plot", "draw learning curves of run directories (mean and band over seeds)", cmd_plot},
      {"tournament", "play a round robin between players of a two-player env and rate them (Elo, TrueSkill)",
       cmd_tournament},
      {"envs", "list registered environments with their spaces and time limits", cmd_envs},
      {"bench", "measure env steps per second of a VecEnv (sync or async)", cmd_bench},
      {"rollout", "run one episode from a seed or a given state and write it as CSV", cmd_rollout},
      {"render", "draw an env: a .png frame, or an .mp4/.gif video of episodes", cmd_render},
      {"dataset", "offline datasets (D4RL files, Minari dirs): info, validate, convert, collect", cmd_dataset},
  };
  return list;
}

namespace {
void print_help() {
  std::cout << "rlarena " << kVersion << ": vectorized RL environments and LibTorch agents\n\n"
            << "usage: rlarena <command> [options]    (rlarena <command> --help for its options)\n\n"
            << "commands:\n";
  for (const auto& c : commands()) {
    std::string name = c.name;
    name.resize(10, ' ');
    std::cout << "  " << name << c.summary << "\n";
  }
  std::cout << "\noptions:\n  -h, --help     show this help\n  --version      print the version\n";
}

// One printable line: line ends become spaces, other control bytes and bytes that are
// not UTF-8 (from a damaged file quoted in a message) become '?'.
std::string one_line(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool valid = len > 0 && i + len <= s.size();
    for (size_t k = 1; valid && k < len; ++k) valid = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
    if (!valid) {
      out += '?', ++i;
    } else if (len == 1) {
      out += c == '\n' || c == '\r' || c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
      ++i;
    } else {
      out.append(s, i, len), i += len;
    }
  }
  return out;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_help();
    return 2;
  }
  const std::string first = argv[1];
  if (first == "-h" || first == "--help" || first == "help") {
    print_help();
    return 0;
  }
  if (first == "--version") {
    std::cout << "rlarena " << kVersion << " (" << git_commit() << ")\n";
    return 0;
  }
  for (const auto& c : commands()) {
    if (first != c.name) continue;
    const Args args(argv + 2, argv + argc);
    try {
      return c.run(args);
    } catch (const rlarena::Error& e) {
      std::cerr << "rlarena " << c.name << ": error: " << one_line(e.what()) << "\n";
    } catch (const boost::program_options::error& e) {
      std::cerr << "rlarena " << c.name << ": error: " << one_line(e.what()) << "; see `rlarena "
                << c.name << " --help`\n";
    }
    return 2;
  }
  std::cerr << "rlarena: error: unknown command '" << first << "'; run `rlarena --help` for the list\n";
  return 2;
}

}  // namespace rlarena::cli

int main(int argc, char** argv) {
  rlarena::keep_freed_memory();
  try {
    return rlarena::cli::main(argc, argv);
  } catch (const std::exception& e) {  // a bug or a system failure, not a user error
    std::cerr << "rlarena: internal error: " << e.what() << "\n";
    return 1;
  }
}
