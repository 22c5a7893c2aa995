// The HDF5 file operations shared by state files (common/) and datasets (replay/):
// opening a file for reading, and walking its groups. Failures become Errors that
// name the file.
#pragma once
#include <H5Cpp.h>

#include <string>
#include <vector>

namespace rlarena::h5 {

// Opens an existing file for reading; a file a writer was killed in (SWMR) opens too.
H5::H5File open_read(const std::string& path);
// Whether `path` is such a file: still marked open by a writer (in SWMR mode) that is
// gone, so plain readers (h5py without swmr=True, D4RL's loader) refuse it.
bool left_open_by_writer(const std::string& path);
bool exists(const H5::Group& where, const std::string& key);  // "a/b" paths too
std::vector<std::string> members(const H5::Group& where);    // sorted names

}  // namespace rlarena::h5
