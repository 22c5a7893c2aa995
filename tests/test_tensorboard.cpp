// TensorBoard event files: CRC32C as TFRecord uses it, records read back with both
// CRCs checked, damage found.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "common/tensorboard.h"
#include "temp_path.h"

using namespace rlarena;

TEST_CASE("CRC32C matches the Castagnoli check value and TFRecord's masking", "[tensorboard]") {
  CHECK(crc32c("123456789", 9) == 0xE3069283u);  // the standard check value of CRC-32C
  CHECK(crc32c("", 0) == 0u);
  const uint32_t c = crc32c("abc", 3);
  CHECK(masked_crc32c("abc", 3) == static_cast<uint32_t>(((c >> 15) | (c << 17)) + 0xa282ead8u));
}

TEST_CASE("Event files round-trip scalars and refuse damaged records", "[tensorboard]") {
  const std::string dir = rlarena::test::temp_path("events");
  std::filesystem::create_directories(dir);
  std::string path;
  {
    EventWriter w(dir);
    path = w.path();
    w.scalar("charts/episodic_return", 12.5, 100, 1700000000.25);
    w.scalar("losses/td_loss", std::nan(""), 100, 1700000000.5);  // NaN: nothing learned yet, not logged
    w.restart(50, 1700000001.0);
    w.scalar("losses/td_loss", -0.125, 200, 1700000002.0);
  }
  CHECK(std::filesystem::path(path).filename().string().rfind("events.out.tfevents.", 0) == 0);
  CHECK(event_files(dir) == std::vector<std::string>{path});
  const EventFile f = read_event_file(path);
  CHECK(f.file_version == "brain.Event:2");
  REQUIRE(f.scalars.size() == 2);
  CHECK(f.scalars[0].tag == "charts/episodic_return");
  CHECK(f.scalars[0].value == 12.5);
  CHECK(f.scalars[0].step == 100);
  CHECK(f.scalars[0].wall_time == 1700000000.25);
  CHECK(f.scalars[1].tag == "losses/td_loss");
  CHECK(f.scalars[1].value == -0.125);
  CHECK(f.restarts == std::vector<int64_t>{50});
  // A flipped byte in a record's data, or a cut file, is found.
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string damaged = dir + "/events.out.tfevents.damaged";
  std::string flipped = bytes;
  flipped[flipped.size() - 6] ^= 0x40;  // inside the last record's data
  std::ofstream(damaged, std::ios::binary) << flipped;
  CHECK_THROWS_WITH(read_event_file(damaged), Catch::Contains("record 3: bad data CRC"));
  std::ofstream(damaged, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 3);
  CHECK_THROWS_WITH(read_event_file(damaged), Catch::Contains("cut short"));
  std::filesystem::remove_all(dir);
}
