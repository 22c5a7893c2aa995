// The test runners' main: Catch2's, then the removal of what this process left in /tmp
// under the tests' naming rule (/tmp/rlarena_test_<pid>_*), whether its tests passed or not.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "temp_path.h"

int main(int argc, char* argv[]) {
  const int failed = Catch::Session().run(argc, argv);
  const std::string prefix = rlarena::test::temp_prefix();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/tmp", ec))
    if (entry.path().filename().string().rfind(prefix, 0) == 0) std::filesystem::remove_all(entry.path(), ec);
  return failed;
}
