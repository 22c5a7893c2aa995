#include "common/h5_file.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace rlarena::h5 {

namespace {
// HDF5's own error stack printing would break our one-line errors. Every HDF5 user
// (replay/h5.cpp too) calls into this file, so this object is always linked in.
struct Quiet {
  Quiet() { H5::Exception::dontPrint(); }
};
const Quiet quiet;
}  // namespace

H5::H5File open_read(const std::string& path) {
  if (!std::ifstream(path)) throw Error(path + ": no such file; give the path of an HDF5 dataset");
  try {
    if (!H5::H5File::isHdf5(path)) throw Error(path + ": not an HDF5 file (no HDF5 signature)");
  } catch (const H5::Exception&) {
    throw Error(path + ": not an HDF5 file (no HDF5 signature)");
  }
  try {
    return H5::H5File(path, H5F_ACC_RDONLY);
  } catch (const H5::Exception&) {
    // A collector killed mid-run leaves its SWMR-write flag set: SWMR readers may open it.
    try {
      return H5::H5File(path, H5F_ACC_RDONLY | H5F_ACC_SWMR_READ);
    } catch (const H5::Exception& e) {
      throw Error(path + ": HDF5 cannot open it (" + e.getDetailMsg() + "); the file is damaged or truncated");
    }
  }
}

bool left_open_by_writer(const std::string& path) {
  const hid_t plain = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (plain >= 0) {
    H5Fclose(plain);
    return false;
  }
  const hid_t swmr = H5Fopen(path.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, H5P_DEFAULT);
  if (swmr < 0) return false;  // not an HDF5 file we can read at all
  H5Fclose(swmr);
  return true;
}

bool exists(const H5::Group& where, const std::string& key) {
  std::string path;
  std::stringstream parts(key);
  std::string part;
  while (std::getline(parts, part, '/')) {
    path += (path.empty() ? "" : "/") + part;
    if (H5Lexists(where.getId(), path.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return true;
}

std::vector<std::string> members(const H5::Group& where) {
  std::vector<std::string> names;
  for (hsize_t i = 0; i < where.getNumObjs(); ++i) names.push_back(where.getObjnameByIdx(i));
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace rlarena::h5
