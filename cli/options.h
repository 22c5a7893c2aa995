// Shared Boost.Program_options plumbing for sub-commands: parse, --help, the value
// types every number and path option is checked as (once, here), and the options
// every env-facing command has (--kwarg, --policy).
#pragma once
#include <boost/program_options.hpp>
#include <memory>
#include <string>
#include <vector>

#include "agents/common/policy.h"
#include "agents/policy/load.h"
#include "agents/common/recipe.h"
#include "cli/commands.h"
#include "envs/core/kwargs.h"

namespace rlarena::cli {

namespace po = boost::program_options;

// Option values checked as they are parsed; a bad one is an error naming the option,
// the value and what to give.
struct Seed {  // a whole number >= 0
  uint64_t value = 0;
};
struct Count {  // a whole number >= 1
  int64_t value = 1;
};
struct Limit {  // a whole number >= 0 (0: no limit, or the default)
  int64_t value = 0;
};
struct Seconds {  // a number > 0
  double value = 1;
};
struct InPath {  // an existing file or directory
  std::string value;
};
struct DatasetRef {  // an existing dataset file or directory, or a Minari id found in the Minari root
  std::string value;  // the path it points to
};
struct OutPath {  // a file to make: its folder exists and it is not a directory ("-": standard output)
  std::string value;
};
std::ostream& operator<<(std::ostream& out, const Seed& v);
std::ostream& operator<<(std::ostream& out, const Count& v);
std::ostream& operator<<(std::ostream& out, const Limit& v);
std::ostream& operator<<(std::ostream& out, const Seconds& v);
std::ostream& operator<<(std::ostream& out, const InPath& v);
std::ostream& operator<<(std::ostream& out, const OutPath& v);
std::ostream& operator<<(std::ostream& out, const DatasetRef& v);
void validate(boost::any& v, const std::vector<std::string>& values, Seed*, int);
void validate(boost::any& v, const std::vector<std::string>& values, Count*, int);
void validate(boost::any& v, const std::vector<std::string>& values, Limit*, int);
void validate(boost::any& v, const std::vector<std::string>& values, Seconds*, int);
void validate(boost::any& v, const std::vector<std::string>& values, InPath*, int);
void validate(boost::any& v, const std::vector<std::string>& values, OutPath*, int);
void validate(boost::any& v, const std::vector<std::string>& values, DatasetRef*, int);

// Parses `args` for `command`; prints `usage` and the options and returns false
// when --help was given. `positional` names the options that take bare words.
bool parse(const std::string& command, const std::string& usage, const Args& args,
           po::options_description& options, const po::positional_options_description& positional,
           po::variables_map& vm);


// --kwarg key=value (repeatable): env options as in gym.make(id, key=value).
void add_kwarg_option(po::options_description& options);
Kwargs kwargs_from(const po::variables_map& vm);

// The options of a command that acts in one env (render, rollout): an optional ENV
// positional, --policy random|heuristic|RUN_DIR|CHECKPOINT (a trained policy's env and
// env options are the defaults), --stochastic, --kwarg.
void add_policy_options(po::options_description& options);
// --stochastic: sample; otherwise the policy's mode.
Acting acting_from(const po::variables_map& vm);
// The env and policy those options name; `seed` seeds the random player.
PolicyInEnv policy_in_env(const po::variables_map& vm, uint64_t seed);

}  // namespace rlarena::cli
