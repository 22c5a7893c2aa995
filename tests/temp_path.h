// The tests' temporary files: /tmp/rlarena_test_<pid>_<name>, which tests/main.cpp
// removes when the test process ends.
#pragma once
#include <unistd.h>

#include <string>

namespace rlarena::test {

inline std::string temp_path(const std::string& name) {
  return "/tmp/rlarena_test_" + std::to_string(getpid()) + "_" + name;
}

}  // namespace rlarena::test
