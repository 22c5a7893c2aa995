#include "common/h5_file.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
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

namespace {

// Everything HDF5 parses before our readers read arrays: groups, dataset types and
// shapes, and string values (kept in HDF5's heaps).
void walk_structure(const H5::Group& g) {
  for (hsize_t i = 0; i < g.getNumObjs(); ++i) {
    const std::string name = g.getObjnameByIdx(i);
    const H5O_type_t type = g.childObjType(name);
    if (type == H5O_TYPE_GROUP) {
      walk_structure(g.openGroup(name));
    } else if (type == H5O_TYPE_DATASET) {
      const H5::DataSet d = g.openDataSet(name);
      const H5::DataSpace space = d.getSpace();
      if (d.getTypeClass() == H5T_STRING && space.getSimpleExtentNpoints() == 1) {
        std::string value;
        d.read(value, d.getStrType());
      }
    }
  }
}

// HDF5 1.10 crashes (rather than fails) on some damaged files, e.g. a damaged heap of
// strings. Their structure is walked first in a child process, so such a file is an
// error here and not the end of the program.
void check_structure(const std::string& path) {
  const pid_t child = fork();
  if (child < 0) return;  // no process to spare: read it directly
  if (child == 0) {
    try {
      H5::H5File file(path, H5F_ACC_RDONLY | H5F_ACC_SWMR_READ);
      walk_structure(file.openGroup("/"));
    } catch (...) {
      _exit(1);  // an HDF5 error: the real read reports it
    }
    _exit(0);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    throw Error(path + ": a damaged HDF5 file (reading its structure crashed the HDF5 library); the file cannot be "
                "read");
}

}  // namespace

H5::H5File open_read(const std::string& path) {
  if (!std::ifstream(path)) throw Error(path + ": no such file; give the path of an HDF5 dataset");
  try {
    if (!H5::H5File::isHdf5(path)) throw Error(path + ": not an HDF5 file (no HDF5 signature)");
  } catch (const H5::Exception&) {
    throw Error(path + ": not an HDF5 file (no HDF5 signature)");
  }
  check_structure(path);
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
