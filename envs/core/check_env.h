// check_env: the API conformance checks every env must pass (Gymnasium's check_env,
// and more): what `rlarena envs --check ID` runs on one env, with a user's own
// options or model (xml_file), and what the conformance test runs on every env.
#pragma once
#include <string>
#include <vector>

#include "envs/core/kwargs.h"

namespace rlarena {

struct EnvCheck {
  std::string name;    // what was checked
  bool passed = false;
  std::string detail;  // why it failed, or what was seen
};

// Runs every check on `id` made with `kwargs`. A failure to make the env is an Error;
// a failed check is a result, so that all of them are reported.
std::vector<EnvCheck> check_env(const std::string& id, const Kwargs& kwargs = {});

}  // namespace rlarena
