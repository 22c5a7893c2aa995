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
  // Enough rows for every episode running when `steps` is reached to finish.
  const int64_t min_rounds = (o.steps + n - 1) / n;
  const int64_t limit = venv.spec().max_episode_steps;
  const int64_t max_rounds = o.keep_partial ? min_rounds : limit > 0 ? min_rounds + limit : 10 * min_rounds;
  ReplayStore store(venv.observation_space(), venv.action_space(), (max_rounds + 1) * n);
  VecWriter writer(store, n);
  DatasetCollector collector(o.out, venv.observation_space(), venv.action_space(), o.metadata);
  Progress progress("collect " + venv.spec().id, static_cast<double>(o.steps));
  writer.reset(*batch);
  int64_t since_flush = 0, finished = 0, all = 0;
  for (int64_t r = 1; o.keep_partial ? all < o.steps : finished < o.steps; ++r) {
    if (r > max_rounds)
      throw Error(o.out + ": " + venv.spec().id + "'s episodes did not end within " + std::to_string(all) +
                  " steps (no time limit); give --keep-partial to keep unfinished episodes, or a time limit "
                  "(--kwarg max_episode_steps=N)");
    if (r > 1) policy.act({batch->obs, n, envs.data()}, o.acting, actions.data());
    batch = &venv.step(actions.data());
    writer.add(*batch, actions.data());
    for (int64_t i = 0; i < n; ++i)
      if (batch->done(i)) finished += batch->episode_length[i];
    all += n;
    since_flush += n;
    if (since_flush >= o.flush_every) {
      collector.flush(store);
      since_flush = 0;
      progress.update(static_cast<double>(std::min(o.keep_partial ? all : finished, o.steps)),
                      std::to_string(collector.committed_steps()) + " steps on disk");
    }
  }
  collector.close(store, o.keep_partial ? DatasetCollector::Running::KeepTruncated : DatasetCollector::Running::Drop);
  progress.finish();
  const DatasetSummary s = summarize_d4rl(o.out);
  return {collector.committed_steps(), s.episodes, s.return_mean};
}

}  // namespace rlarena
