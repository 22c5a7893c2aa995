// Loading MuJoCo models: each model is compiled once per process and shared
// read-only by every env that uses it (each env owns its mjData).
#pragma once
#include <mujoco/mujoco.h>

#include <memory>
#include <string>

namespace rlarena {

// `xml` is the name of an embedded asset ("hopper.xml") or a path to an MJCF file
// (Gymnasium's xml_file option). Errors carry MuJoCo's message and the path.
std::shared_ptr<const mjModel> load_model(const std::string& xml);

}  // namespace rlarena
