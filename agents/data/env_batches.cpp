#include "agents/data/env_batches.h"

#include "agents/distributed/world.h"
#include "common/closest.h"
#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/core/vec_env.h"
#include "envs/multi/multi_registry.h"
#include "envs/multi/multi_vec_env.h"

namespace rlarena {

namespace {
SelfPlayFactory& self_play_factory() {
  static SelfPlayFactory factory = nullptr;
  return factory;
}
}  // namespace

void set_self_play_factory(SelfPlayFactory factory) { self_play_factory() = factory; }

std::unique_ptr<EnvBatch> make_env_batch(const Recipe& r, const EnvBatchOptions& o) {
  const std::string id = r.text("env");
  if (Registry::global().has(id)) return std::make_unique<VecEnv>(id, o.num_envs, o.seed, o.threads, 0, r.kwargs());
  if (!MultiRegistry::global().has(id)) {
    std::vector<std::string> all = Registry::global().ids(), multi = MultiRegistry::global().ids();
    all.insert(all.end(), multi.begin(), multi.end());
    std::string hint;
    for (const auto& c : closest_names(id, all)) hint += (hint.empty() ? "" : ", ") + c;
    throw NotFound("unknown env id '" + id + "'; did you mean " + hint + "? (`rlarena envs` lists them all)");
  }
  if (r.has("self_play") && r.flag("self_play")) {
    if (!self_play_factory()) throw Error(id + ": self-play is not linked into this program");
    return self_play_factory()(r, o);
  }
  const bool ids = r.has("agent_ids") ? r.flag("agent_ids") : true;
  const bool central = r.has("central_critic") && r.flag("central_critic");
  return std::make_unique<MultiAgentVecEnv>(id, o.num_envs, o.seed, o.threads, r.kwargs(), ids, central);
}

std::unique_ptr<EnvBatch> make_env_batch(const Recipe& r) {
  EnvBatchOptions o;
  o.num_envs = r.integer("num_envs", 1);
  // Rank k of a distributed job steps envs seed + k * num_envs + i: every env of the job its own.
  o.seed = static_cast<uint64_t>(r.integer("seed")) + static_cast<uint64_t>(world_rank() * o.num_envs);
  o.threads = static_cast<int>(r.integer("env_threads", 1));
  return make_env_batch(r, o);
}

}  // namespace rlarena
