// State files (checkpoints): a round trip keeps every entry; a truncated, altered or
// foreign file is refused before HDF5 reads it; a write that fails (here: a file size
// limit, as a full disk) leaves the previous file whole.
#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "common/state_file.h"
#include "temp_path.h"

using namespace rlarena;
using rlarena::test::temp_path;

namespace {

StateMap sample_state(size_t big) {
  StateMap s;
  put_text(s, "recipe", "algo = ppo\n");
  put_state(s, "a/b/counter", int64_t{42});
  put_state(s, "envs/actions_0", std::vector<float>(big, 1.5f));
  s["empty"] = {};
  return s;
}

std::vector<char> bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("A state file keeps every entry and refuses damage", "[common][checkpoint]") {
  const std::string path = temp_path("state.h5"), bad = temp_path("bad.h5");
  const StateMap state = sample_state(1000);
  save_state_file(path, state);
  CHECK(load_state_file(path) == state);
  CHECK(load_state_file(path, [](const std::string& k) { return k == "recipe"; }).size() == 1);
  const std::vector<char> whole = bytes_of(path);
  // Cut short anywhere.
  for (size_t keep : {size_t{0}, size_t{100}, whole.size() / 2, whole.size() - 1}) {
    write_bytes(bad, std::vector<char>(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(keep)));
    CHECK_THROWS_AS(load_state_file(bad), Error);
  }
  write_bytes(bad, std::vector<char>(whole.begin(), whole.end() - 7));
  CHECK_THROWS_WITH(load_state_file(bad), Catch::Contains("truncated"));
  // One byte changed, wherever it is (the header's own fields are checked too).
  int refused = 0;
  for (size_t at = 0; at < whole.size(); at += 97) {
    std::vector<char> altered = whole;
    altered[at] ^= 0x21;
    write_bytes(bad, altered);
    try {
      load_state_file(bad);
    } catch (const Error& e) {
      ++refused;
    }
  }
  CHECK(refused == static_cast<int>((whole.size() + 96) / 97));
  std::vector<char> altered = whole;
  altered[whole.size() - 100] ^= 1;
  write_bytes(bad, altered);
  CHECK_THROWS_WITH(load_state_file(bad), Catch::Contains("damaged or altered"));
  write_bytes(bad, {'h', 'e', 'l', 'l', 'o'});
  CHECK_THROWS_WITH(load_state_file(bad), Catch::Contains("not an rlarena checkpoint"));
  std::remove(path.c_str());
  std::remove(bad.c_str());
}

TEST_CASE("A checkpoint write that fails leaves the previous checkpoint whole", "[common][checkpoint]") {
  const std::string path = temp_path("kept.h5");
  const StateMap old_state = sample_state(100);
  save_state_file(path, old_state);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {  // files may not grow past 64 KB here: the new, larger checkpoint cannot be written
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{64 << 10, 64 << 10};
    setrlimit(RLIMIT_FSIZE, &limit);
    try {
      save_state_file(path, sample_state(1 << 20));
    } catch (const Error&) {
      _exit(7);
    }
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 7);
  CHECK(load_state_file(path) == old_state);
  for (const auto& entry : std::filesystem::directory_iterator("/tmp"))
    CHECK(entry.path().string().rfind(path + ".tmp", 0) != 0);  // no temporary left behind
  std::remove(path.c_str());
}
