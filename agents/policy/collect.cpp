#include "agents/policy/collect.h"

#include "common/error.h"
#include "common/progress.h"
#include "replay/collector.h"
#include "replay/vec_writer.h"

namespace rlarena {

CollectResult collect_dataset(VecEnv& venv, Policy& policy, const CollectOptions& o) {
  if (o.steps < 1 || o.flush_every < 1)
    throw Error("collect_dataset: steps = " + std::to_string(o.steps) + " and flush_every = " +
                std::to_string(o.flush_every) + "; give 1 or more of each");
  const int64_t n = venv.num_envs();
  check_policy_fits(policy, "the policy", venv.observation_space(), venv.action_space(), venv.spec().id);
  std::vector<Env*> envs(n);
  for (int64_t i = 0; i < n; ++i) envs[i] = &venv.env(i);
  std::vector<uint8_t> actions(n * venv.action_space().byte_size());
  const Batch* batch = &venv.reset();
  // The first actions come before the file exists: a policy that cannot act here
  // (a heuristic on an env without one) leaves nothing behind.
  policy.act({batch->obs, n, envs.data()}, o.acting, actions.data());
  const int64_t rounds = (o.steps + n - 1) / n;
  ReplayStore store(venv.observation_space(), venv.action_space(), (rounds + 1) * n);
  VecWriter writer(store, n);
  DatasetCollector collector(o.out, venv.observation_space(), venv.action_space(), o.metadata);
  Progress progress("collect " + venv.spec().id, static_cast<double>(rounds * n));
  writer.reset(*batch);
  int64_t since_flush = 0;
  for (int64_t r = 1; r <= rounds; ++r) {
    if (r > 1) policy.act({batch->obs, n, envs.data()}, o.acting, actions.data());
    batch = &venv.step(actions.data());
    writer.add(*batch, actions.data());
    since_flush += n;
    if (since_flush >= o.flush_every) {
      collector.flush(store);
      since_flush = 0;
      progress.update(static_cast<double>(r * n), std::to_string(collector.committed_steps()) + " steps on disk");
    }
  }
  collector.close(store);
  progress.finish();
  const DatasetSummary s = summarize(store);
  return {collector.committed_steps(), s.episodes, s.return_mean};
}

}  // namespace rlarena
