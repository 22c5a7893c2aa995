// State files: a StateMap (a checkpoint's named byte arrays) as one HDF5 file, each
// entry a uint8 dataset at its name ("store/obs" is dataset obs in group store), so
// `h5ls -r` shows what a checkpoint holds. The file starts with a header (HDF5's user
// block) giving its size and a hash of its bytes, checked before HDF5 reads it: a
// truncated or altered file is refused. Written under a temporary name, synced, and
// renamed: a failed write leaves the previous file as it was.
#pragma once
#include <functional>
#include <string>

#include "common/state_map.h"

namespace rlarena {

void save_state_file(const std::string& path, const StateMap& state);
// The entries `wanted` accepts (all when it is empty).
StateMap load_state_file(const std::string& path, const std::function<bool(const std::string&)>& wanted = {});

}  // namespace rlarena
