// The MJCF models of envs/mujoco/assets/, compiled into the library by name
// ("half_cheetah.xml" -> its text), so envs need no files at run time.
#pragma once
#include <map>
#include <string>

namespace rlarena {

const std::map<std::string, std::string>& embedded_assets();

}  // namespace rlarena
