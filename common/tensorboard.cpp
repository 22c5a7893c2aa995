#include "common/tensorboard.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "common/error.h"
#include "common/tensorboard_event.pb.h"

namespace rlarena {

namespace {

namespace fs = std::filesystem;
namespace pb = rlarena::tensorboard;

std::array<uint32_t, 256> crc_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;  // reflected Castagnoli polynomial
    t[i] = c;
  }
  return t;
}

void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t get_le(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

uint32_t crc32c(const void* data, size_t size) {
  static const std::array<uint32_t, 256> table = crc_table();
  const auto* p = static_cast<const unsigned char*>(data);
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

uint32_t masked_crc32c(const void* data, size_t size) {
  const uint32_t c = crc32c(data, size);
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

EventWriter::EventWriter(const std::string& dir) {
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  const std::string base = (fs::path(dir) / ("events.out.tfevents." + std::to_string(std::time(nullptr)) + "." +
                                              host + "." + std::to_string(getpid())))
                               .string();
  // Never another file's name (a resume in the same second and process would reuse it).
  for (int n = 0; !file_; ++n) {
    path_ = n == 0 ? base : base + "." + std::to_string(n);
    file_ = std::fopen(path_.c_str(), "wbx");
    if (!file_ && errno != EEXIST)
      throw Error("cannot write " + path_ + " (" + std::strerror(errno) + "); give a writable run directory");
  }
  pb::Event e;
  e.set_wall_time(static_cast<double>(std::time(nullptr)));
  e.set_file_version("brain.Event:2");
  write_record(e.SerializeAsString());
  flush();
}

EventWriter::~EventWriter() {
  if (file_) std::fclose(file_);
}

void EventWriter::scalar(const std::string& tag, double value, int64_t step, double wall_time) {
  if (!std::isfinite(value)) return;  // nothing learned yet (NaN): TensorBoard would draw a gap anyway
  pb::Event e;
  e.set_wall_time(wall_time);
  e.set_step(step);
  pb::Summary::Value* v = e.mutable_summary()->add_value();
  v->set_tag(tag);
  v->set_simple_value(static_cast<float>(value));
  write_record(e.SerializeAsString());
}

void EventWriter::restart(int64_t step, double wall_time) {
  pb::Event e;
  e.set_wall_time(wall_time);
  e.set_step(step);
  e.mutable_session_log()->set_status(pb::SessionLog::START);
  write_record(e.SerializeAsString());
}

void EventWriter::write_record(const std::string& bytes) {
  std::string header;
  put_u64(header, bytes.size());
  std::string record = header;
  put_u32(record, masked_crc32c(header.data(), header.size()));
  record += bytes;
  put_u32(record, masked_crc32c(bytes.data(), bytes.size()));
  if (std::fwrite(record.data(), 1, record.size(), file_) != record.size())
    throw Error("cannot write " + path_ + " (" + std::strerror(errno) + "); is the disk full?");
}

void EventWriter::flush() { std::fflush(file_); }

EventFile read_event_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error("cannot read " + path + " (" + std::strerror(errno) + ")");
  std::string bytes;
  char buf[65536];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) bytes.append(buf, n);
  std::fclose(f);
  EventFile out;
  size_t at = 0;
  for (int64_t record = 0; at < bytes.size(); ++record) {
    const std::string where = path + " record " + std::to_string(record);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + at;
    if (bytes.size() - at < 12) throw Error(where + ": cut short in its header");
    if (static_cast<uint32_t>(get_le(p + 8, 4)) != masked_crc32c(p, 8)) throw Error(where + ": bad length CRC");
    const uint64_t length = get_le(p, 8);
    if (bytes.size() - at - 12 < length + 4) throw Error(where + ": cut short in its data");
    if (static_cast<uint32_t>(get_le(p + 12 + length, 4)) != masked_crc32c(p + 12, length))
      throw Error(where + ": bad data CRC");
    pb::Event e;
    if (!e.ParseFromArray(p + 12, static_cast<int>(length))) throw Error(where + ": not an Event protobuf");
    if (e.has_file_version()) out.file_version = e.file_version();
    if (e.has_session_log() && e.session_log().status() == pb::SessionLog::START) out.restarts.push_back(e.step());
    if (e.has_summary())
      for (const auto& v : e.summary().value()) out.scalars.push_back({v.tag(), v.simple_value(), e.step(), e.wall_time()});
    at += 12 + length + 4;
  }
  return out;
}

std::vector<std::string> event_files(const std::string& dir) {
  std::vector<std::pair<fs::file_time_type, std::string>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().filename().string().find("tfevents") != std::string::npos)
      found.emplace_back(entry.last_write_time(ec), entry.path().string());
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

}  // namespace rlarena
