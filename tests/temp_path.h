// The tests' temporary files: /tmp/rlarena_test_<pid>_<name>, which tests/main.cpp
// removes when the test process ends.
#pragma once
#include <unistd.h>

#include <string>

namespace rlarena::test {

// The start of this process's names in /tmp.
inline std::string temp_prefix() { return "rlarena_test_" + std::to_string(getpid()) + "_"; }

inline std::string temp_path(const std::string& name) { return "/tmp/" + temp_prefix() + name; }

}  // namespace rlarena::test
