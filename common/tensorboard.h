// TensorBoard event files: scalars written as TensorBoard's Event protobufs in TFRecord
// framing (length, masked CRC32C of the length, data, masked CRC32C of the data), and
// read back record by record with both CRCs checked.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace rlarena {

// CRC32C (Castagnoli), as TFRecord uses it; masked as TFRecord stores it.
uint32_t crc32c(const void* data, size_t size);
uint32_t masked_crc32c(const void* data, size_t size);

class EventWriter {
 public:
  // Creates <dir>/events.out.tfevents.<unix time>.<host>.<pid>[.<n>] (TensorBoard finds
  // files by "tfevents" in their name; .<n> when that name is taken) and writes its
  // file_version record.
  explicit EventWriter(const std::string& dir);
  ~EventWriter();
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  void scalar(const std::string& tag, double value, int64_t step, double wall_time);
  // A session (re)start at `step`: TensorBoard then drops what earlier files logged at
  // or after it, as a resumed run drops the CSV rows written after its checkpoint.
  void restart(int64_t step, double wall_time);
  void flush();
  const std::string& path() const { return path_; }

 private:
  void write_record(const std::string& bytes);
  std::string path_;
  std::FILE* file_ = nullptr;
};

struct ScalarEvent {
  std::string tag;
  double value = 0;
  int64_t step = 0;
  double wall_time = 0;
};
struct EventFile {
  std::string file_version;
  std::vector<ScalarEvent> scalars;
  std::vector<int64_t> restarts;  // steps of SessionLog START events
};
// Every record of an event file; a bad length or data CRC, or a cut record, is an
// Error naming the file and the record.
EventFile read_event_file(const std::string& path);

// The event files in `dir`, oldest first.
std::vector<std::string> event_files(const std::string& dir);

}  // namespace rlarena
