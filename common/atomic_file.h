// Writes a file under a temporary name and renames it into place, so a reader
// never sees half a file and an old file survives a failed write.
#pragma once
#include <string>

namespace rlarena {

void write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace rlarena
