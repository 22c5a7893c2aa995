#include "common/state_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <functional>
#include <vector>

#include "common/error.h"
#include "common/h5_file.h"

namespace rlarena {

namespace {

// The HDF5 user block: bytes before HDF5's own that HDF5 leaves alone. Ours holds a
// line naming the file, its size and a hash of everything after the block.
constexpr hsize_t kUserBlock = 512;
constexpr char kMagic[] = "rlarena state file\n";

// A 64-bit hash of the bytes, 8 at a time (corruption, not attacks, is what it finds).
class Hash {
 public:
  void add(const uint8_t* p, size_t n) {
    for (; n > 0 && filled_ > 0; ++p, --n) take(*p);
    for (; n >= 8; p += 8, n -= 8) {  // whole words (little-endian, as take() builds them)
      std::memcpy(&word_, p, 8);
      mix();
    }
    for (; n > 0; ++p, --n) take(*p);
  }
  uint64_t value() {
    if (filled_) mix();
    return h_ ^ (h_ >> 29);
  }

 private:
  void take(uint8_t byte) {
    word_ |= static_cast<uint64_t>(byte) << (8 * filled_);
    if (++filled_ == 8) mix();
  }
  void mix() {
    h_ ^= word_ * 0x9e3779b97f4a7c15ULL;
    h_ = ((h_ << 31) | (h_ >> 33)) * 0xbf58476d1ce4e5b9ULL;
    word_ = 0, filled_ = 0;
  }
  uint64_t h_ = 0x243f6a8885a308d3ULL, word_ = 0;
  int filled_ = 0;
};

// The whole user block: every byte of it is fixed by the file's size and hash.
std::string header_text(uint64_t size, uint64_t hash) {
  char text[kUserBlock] = {};
  std::snprintf(text, sizeof text, "%ssize %" PRIu64 "\nhash %016" PRIx64 "\n", kMagic, size, hash);
  return std::string(text, kUserBlock);
}

// Hashes the file after its user block; returns false when it cannot be read.
bool hash_file(int fd, uint64_t& hash, uint64_t& size) {
  Hash h;
  std::vector<uint8_t> buf(1 << 20);
  size = kUserBlock;
  if (lseek(fd, static_cast<off_t>(kUserBlock), SEEK_SET) < 0) return false;
  for (ssize_t n; (n = read(fd, buf.data(), buf.size())) != 0;) {
    if (n < 0) return false;
    h.add(buf.data(), static_cast<size_t>(n));
    size += static_cast<uint64_t>(n);
  }
  hash = h.value();
  return true;
}

// The group holding `key` ("a/b/c": group a/b, created as needed) and the key's leaf.
// HDF5's C API: a failed write must not leave C++ objects that report from destructors.
hid_t group_for(hid_t file, const std::string& key, std::string& leaf, std::vector<hid_t>& opened) {
  hid_t g = file;
  size_t start = 0;
  for (size_t slash; (slash = key.find('/', start)) != std::string::npos; start = slash + 1) {
    const std::string part = key.substr(start, slash - start);
    const htri_t there = H5Lexists(g, part.c_str(), H5P_DEFAULT);
    g = there > 0 ? H5Gopen2(g, part.c_str(), H5P_DEFAULT)
                  : H5Gcreate2(g, part.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) return g;
    opened.push_back(g);
  }
  leaf = key.substr(start);
  return g;
}

// Writes the entries; false when HDF5 fails (a full disk, a removed folder).
bool write_entries(const std::string& tmp, const StateMap& state) {
  const hid_t create = H5Pcreate(H5P_FILE_CREATE);
  H5Pset_userblock(create, kUserBlock);
  const hid_t file = H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, create, H5P_DEFAULT);
  H5Pclose(create);
  if (file < 0) return false;
  bool ok = true;
  for (const auto& [key, bytes] : state) {
    std::vector<hid_t> groups;
    std::string leaf;
    const hid_t g = group_for(file, key, leaf, groups);
    const hsize_t dims[1] = {bytes.size()};
    const hid_t space = H5Screate_simple(1, dims, nullptr);
    const hid_t d =
        g < 0 ? -1 : H5Dcreate2(g, leaf.c_str(), H5T_NATIVE_UINT8, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ok = d >= 0 && (bytes.empty() || H5Dwrite(d, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) >= 0);
    if (d >= 0) ok = H5Dclose(d) >= 0 && ok;
    H5Sclose(space);
    for (auto it = groups.rbegin(); it != groups.rend(); ++it) H5Gclose(*it);
    if (!ok) break;
  }
  return H5Fclose(file) >= 0 && ok;
}

// Before HDF5 parses the file (a damaged file can crash it): the header says this is
// a whole state file, of this size, with these bytes.
void verify(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) throw Error(path + ": cannot read it (" + std::strerror(errno) + "); check the path");
  char header[kUserBlock + 1] = {};
  const bool read_header = pread(fd, header, kUserBlock, 0) == static_cast<ssize_t>(kUserBlock);
  uint64_t want_hash = 0, want_size = 0, hash = 0, size = 0;
  const bool ours = read_header && std::strncmp(header, kMagic, sizeof kMagic - 1) == 0 &&
                    std::sscanf(header + sizeof kMagic - 1, "size %" SCNu64 "\nhash %" SCNx64, &want_size,
                                &want_hash) == 2 &&
                    header_text(want_size, want_hash) == std::string(header, kUserBlock);
  const bool hashed = ours && hash_file(fd, hash, size);
  close(fd);
  if (!ours)
    throw Error(path + ": not an rlarena checkpoint (or one from an older version, before checkpoints were "
                "checksummed); give a checkpoint file made by rlarena train");
  if (!hashed || size != want_size)
    throw Error(path + ": a truncated checkpoint (" + std::to_string(size) + " of " + std::to_string(want_size) +
                " bytes); resume from another one (checkpoints/step_<N>.h5 with keep_checkpoints) or train again");
  if (hash != want_hash)
    throw Error(path + ": a damaged or altered checkpoint (its checksum does not match); resume from another one "
                "(checkpoints/step_<N>.h5 with keep_checkpoints) or train again");
}

}  // namespace

void save_state_file(const std::string& path, const StateMap& state) {
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  bool written;
  H5E_BEGIN_TRY { written = write_entries(tmp, state); }
  H5E_END_TRY;
  if (!written) {
    std::remove(tmp.c_str());
    throw Error("cannot write checkpoint " + path + " (check free space and that the folder exists and is "
                "writable); the previous checkpoint is kept");
  }
  // The header, then everything on disk before it replaces the old file: a crash or a
  // full disk leaves one whole checkpoint or the other.
  const int fd = open(tmp.c_str(), O_RDWR);
  uint64_t hash = 0, size = 0;
  written = fd >= 0 && hash_file(fd, hash, size);
  if (written) {
    const std::string header = header_text(size, hash);
    written = pwrite(fd, header.data(), kUserBlock, 0) == static_cast<ssize_t>(kUserBlock) && fsync(fd) == 0;
  }
  if (fd >= 0) close(fd);
  if (!written) {
    std::remove(tmp.c_str());
    throw Error("cannot write checkpoint " + path + " to disk (check free space); the previous checkpoint is kept");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error("cannot rename " + tmp + " to " + path + "; give a writable run directory");
  }
}

StateMap load_state_file(const std::string& path, const std::function<bool(const std::string&)>& wanted) {
  verify(path);
  StateMap state;
  try {
    H5::H5File file = h5::open_read(path);  // (a checked file: HDF5 parses only what we wrote)
    std::function<void(const H5::Group&, const std::string&)> walk = [&](const H5::Group& g,
                                                                         const std::string& prefix) {
      for (const auto& name : h5::members(g)) {
        if (g.childObjType(name) == H5O_TYPE_GROUP) {
          walk(g.openGroup(name), prefix + name + "/");
          continue;
        }
        if (wanted && !wanted(prefix + name)) continue;
        const H5::DataSet d = g.openDataSet(name);
        hsize_t n = 0;
        d.getSpace().getSimpleExtentDims(&n);
        auto& bytes = state[prefix + name];
        bytes.resize(n);
        if (n) d.read(bytes.data(), H5::PredType::NATIVE_UINT8);
      }
    };
    walk(file.openGroup("/"), "");
  } catch (const H5::Exception& e) {
    throw Error(path + ": not a readable rlarena checkpoint (" + e.getDetailMsg() + ")");
  }
  return state;
}

}  // namespace rlarena
