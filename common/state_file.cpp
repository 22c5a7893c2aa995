#include "common/state_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <functional>

#include "common/h5_file.h"
#include "common/error.h"

namespace rlarena {

namespace {

H5::Group group_for(H5::H5File& file, const std::string& key, std::string& leaf) {
  H5::Group g = file.openGroup("/");
  size_t start = 0;
  for (size_t slash; (slash = key.find('/', start)) != std::string::npos; start = slash + 1) {
    const std::string part = key.substr(start, slash - start);
    g = h5::exists(g, part) ? g.openGroup(part) : g.createGroup(part);
  }
  leaf = key.substr(start);
  return g;
}

}  // namespace

void save_state_file(const std::string& path, const StateMap& state) {
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  try {
    H5::Exception::dontPrint();
    H5::H5File file(tmp, H5F_ACC_TRUNC);
    for (const auto& [key, bytes] : state) {
      std::string leaf;
      H5::Group g = group_for(file, key, leaf);
      const hsize_t dims[1] = {bytes.size()};
      H5::DataSpace space(1, dims);
      H5::DataSet d = g.createDataSet(leaf, H5::PredType::NATIVE_UINT8, space);
      if (!bytes.empty()) d.write(bytes.data(), H5::PredType::NATIVE_UINT8);
    }
    file.close();
  } catch (const H5::Exception& e) {
    std::remove(tmp.c_str());
    throw Error("cannot write checkpoint " + path + " (" + e.getDetailMsg() + "); give a writable run directory");
  }
  // On disk before it replaces the old one: a crash leaves one whole checkpoint or the other.
  const int fd = open(tmp.c_str(), O_RDONLY);
  const bool synced = fd >= 0 && fsync(fd) == 0;
  if (fd >= 0) close(fd);
  if (!synced) {
    std::remove(tmp.c_str());
    throw Error("cannot write checkpoint " + path + " to disk; check free space and permissions");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error("cannot rename " + tmp + " to " + path + "; give a writable run directory");
  }
}

StateMap load_state_file(const std::string& path, const std::function<bool(const std::string&)>& wanted) {
  H5::H5File file = h5::open_read(path);
  StateMap state;
  std::function<void(const H5::Group&, const std::string&)> walk = [&](const H5::Group& g, const std::string& prefix) {
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
  try {
    walk(file.openGroup("/"), "");
  } catch (const H5::Exception& e) {
    throw Error(path + ": not a readable rlarena checkpoint (" + e.getDetailMsg() + ")");
  }
  return state;
}

}  // namespace rlarena
