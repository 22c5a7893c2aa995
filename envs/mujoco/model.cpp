#include "envs/mujoco/model.h"

#include <fstream>
#include <map>
#include <mutex>

#include "common/error.h"
#include "envs/mujoco/assets.h"

namespace rlarena {

namespace {

mjModel* compile(const std::string& name, const std::string& text, const std::string& shown) {
  // mjVFS holds fixed arrays of ~2 MB: keep it off the stack.
  auto vfs = std::make_unique<mjVFS>();
  mj_defaultVFS(vfs.get());
  if (mj_makeEmptyFileVFS(vfs.get(), name.c_str(), static_cast<int>(text.size())) != 0)
    throw Error("cannot load MuJoCo model " + shown + ": MuJoCo's virtual file system refused it");
  const int index = mj_findFileVFS(vfs.get(), name.c_str());
  std::copy(text.begin(), text.end(), static_cast<char*>(vfs->filedata[index]));
  char error[1000] = "";
  mjModel* m = mj_loadXML(name.c_str(), vfs.get(), error, sizeof error);
  mj_deleteVFS(vfs.get());
  if (!m) throw Error("cannot load MuJoCo model " + shown + ": " + error);
  return m;
}

}  // namespace

std::shared_ptr<const mjModel> load_model(const std::string& xml) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<const mjModel>> cache;
  std::lock_guard<std::mutex> lk(mu);
  if (auto cached = cache[xml].lock()) return cached;

  mjModel* m = nullptr;
  const auto& assets = embedded_assets();
  if (auto it = assets.find(xml); it != assets.end()) {
    m = compile(xml, it->second, "envs/mujoco/assets/" + xml);
  } else {
    std::ifstream in(xml, std::ios::binary);
    if (!in)
      throw Error("cannot load MuJoCo model " + xml +
                  ": no such file; give an existing MJCF path (xml_file=...) or one of the built-in models");
    // From disk, so that <include> and mesh files resolve relative to the file.
    char error[1000] = "";
    m = mj_loadXML(xml.c_str(), nullptr, error, sizeof error);
    if (!m) throw Error("cannot load MuJoCo model " + xml + ": " + error);
  }
  std::shared_ptr<const mjModel> shared(m, [](const mjModel* p) { mj_deleteModel(const_cast<mjModel*>(p)); });
  cache[xml] = shared;
  return shared;
}

}  // namespace rlarena
