// rlarena tournament --env ID --players P1 P2 ... --games-per-pair G --out DIR: a round
// robin between scripted players, MCTS and trained policies, rated by Elo and TrueSkill.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <numeric>

#include <nlohmann/json.hpp>

#include "agents/common/torch_threads.h"
#include "agents/distributed/launch.h"
#include "arena/tournament.h"
#include "cli/options.h"

namespace rlarena::cli {

namespace {

// A job's ranks as a tournament sees them.
class JobLink final : public RankLink {
 public:
  explicit JobLink(JobMembership& job) : job_(job) {}
  int rank() const override { return job_.rank(); }
  int size() const override { return job_.size(); }
  std::vector<std::string> gather_texts(const std::string& mine) override { return job_.gather_texts(mine); }
  std::string broadcast_text(const std::string& text) override { return job_.broadcast_text(text); }

 private:
  JobMembership& job_;
};

constexpr double kRankTimeout = 300;  // seconds a rank waits for the others (as dist_timeout's default)

}  // namespace

int cmd_tournament(const Args& args) {
  po::options_description options("tournament options");
  options.add_options()("env", po::value<std::string>()->required(), "a two-player env (e.g. ConnectFour-v0)")(
      "players", po::value<std::vector<std::string>>()->multitoken()->required(),
      "players, each random, greedy, heuristic, mcts:N, a run directory or a checkpoint, optionally NAME=SPEC")(
      "games-per-pair", po::value<Count>()->required(), "games each pair plays (seats swapped equally)")(
      "threads", po::value<Count>()->default_value({1}), "games played at once (results do not depend on it)")(
      "seed", po::value<Seed>()->default_value({0}), "game g is played from seed + g")(
      "out", po::value<std::string>()->required(),
      "output directory: games.csv, matrix.csv, ratings.csv/json, report.md, matrix.png; "
      "the same command continues a tournament stopped there")(
      "json", po::bool_switch(), "print the ratings as JSON")(
      "nproc", po::value<Count>()->default_value({1}),
      "processes (ranks) sharing the games on this machine; under torchrun (WORLD_SIZE set) each process is one");
  add_kwarg_option(options);
  po::positional_options_description positional;
  po::variables_map vm;
  if (!parse("tournament", "--env ID --players P1 P2 ... --games-per-pair G --out DIR [--threads T] [--seed S]",
             args, options, positional, vm))
    return 0;
  set_torch_threads(1);
  set_blas_threads(1);
  TournamentConfig config;
  config.env = vm["env"].as<std::string>();
  config.kwargs = kwargs_from(vm);
  for (const auto& p : vm["players"].as<std::vector<std::string>>()) config.players.push_back(parse_player(p));
  config.games_per_pair = vm["games-per-pair"].as<Count>().value;
  config.threads = static_cast<int>(std::min<int64_t>(vm["threads"].as<Count>().value, 1024));
  config.seed = vm["seed"].as<Seed>().value;
  config.out = vm["out"].as<std::string>();
  const int64_t nproc = vm["nproc"].as<Count>().value;
  if (nproc > 256) throw Error("--nproc " + std::to_string(nproc) + ": give 1 to 256 local ranks");
  if (nproc > 1) {
    return run_local_ranks("tournament", args, static_cast<int>(nproc), kRankTimeout + 10);
  }
  const auto job = join_job_from_env(kRankTimeout);
  std::unique_ptr<JobLink> link;
  if (job) {
    link = std::make_unique<JobLink>(*job);
    config.ranks = link.get();
  }
  const TournamentResult r = run_tournament(config);
  if (job && job->rank() > 0) return 0;  // rank 0 reports
  const int n = static_cast<int>(config.players.size());
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return r.elo[a].elo > r.elo[b].elo; });
  if (vm["json"].as<bool>()) {
    nlohmann::json out = {{"env", config.env}, {"games", r.games.size()}, {"played_now", r.played_now},
                          {"seconds", r.seconds}, {"out", config.out}, {"ratings", nlohmann::json::array()}};
    for (int i : order)
      out["ratings"].push_back({{"player", config.players[i].name}, {"elo", r.elo[i].elo}, {"elo_lo", r.elo[i].lo},
                                {"elo_hi", r.elo[i].hi}, {"trueskill_mu", r.trueskill[i].mu},
                                {"trueskill_sigma", r.trueskill[i].sigma}});
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("%s: %zu games (%lld played now in %.2f s); ratings in %s/ratings.csv, report %s/report.md\n",
              config.env.c_str(), r.games.size(), static_cast<long long>(r.played_now), r.seconds, config.out.c_str(),
              config.out.c_str());
  std::printf("%-4s %-24s %8s %18s %10s %8s\n", "rank", "player", "elo", "95% interval", "ts mu", "ts sigma");
  for (int k = 0; k < n; ++k) {
    const int i = order[k];
    char interval[64];
    std::snprintf(interval, sizeof interval, "[%.0f, %.0f]", r.elo[i].lo, r.elo[i].hi);
    std::printf("%-4d %-24s %8.0f %18s %10.2f %8.2f\n", k + 1, config.players[i].name.c_str(), r.elo[i].elo, interval,
                r.trueskill[i].mu, r.trueskill[i].sigma);
  }
  return 0;
}

}  // namespace rlarena::cli
