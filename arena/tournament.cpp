#include "arena/tournament.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "arena/player.h"
#include "arena/report.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/progress.h"
#include "envs/multi/multi_registry.h"

namespace rlarena {

namespace fs = std::filesystem;

PlayerEntry parse_player(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq != std::string::npos && eq > 0 && text.substr(0, eq).find('/') == std::string::npos) {
    if (eq + 1 == text.size()) throw Error("player '" + text + "': give NAME=SPEC with a player after the '='");
    return {text.substr(0, eq), text.substr(eq + 1)};
  }
  std::string name = text;
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  if (name.find('/') != std::string::npos) name = fs::path(name).filename().string();
  return {name, text};
}

std::vector<PlayedGame> tournament_schedule(int players, int64_t games_per_pair, uint64_t seed) {
  std::vector<std::pair<int, int>> pairs;
  for (int i = 0; i < players; ++i)
    for (int j = i + 1; j < players; ++j) pairs.emplace_back(i, j);
  std::vector<PlayedGame> games;
  for (int64_t round = 0; round < games_per_pair; ++round)
    for (const auto& [i, j] : pairs) {
      PlayedGame g;
      g.game = static_cast<int64_t>(games.size());
      g.seat0 = round % 2 ? j : i;
      g.seat1 = round % 2 ? i : j;
      g.seed = seed + static_cast<uint64_t>(g.game);
      games.push_back(g);
    }
  return games;
}

namespace {

const char* const kHeader = "game,seat0,seat1,seed,seat0_score,length,end";

// Plays game `g` between `seats` on `env`; the env's and the players' randomness
// come from the game's seed.
void play(MultiAgentEnv& env, Player* const seats[2], PlayedGame& g) {
  const int n = env.num_agents();
  std::vector<std::vector<uint8_t>> obs(n), act(n);
  std::vector<void*> obs_ptr(n);
  std::vector<const void*> act_ptr(n);
  for (int a = 0; a < n; ++a) {
    obs[a].resize(env.observation_space(a).byte_size());
    act[a].resize(env.action_space(a).byte_size());
    obs_ptr[a] = obs[a].data();
    act_ptr[a] = act[a].data();
  }
  std::vector<double> rewards(n), returns(n, 0.0);
  std::vector<uint8_t> terminated(n), truncated(n), mask;
  Rng rng(~g.seed);  // the players' stream, apart from the env's
  env.reset_into(g.seed, obs_ptr.data());
  g.length = 0;
  g.end = "normal";
  while (!env.episode_over()) {
    const int mover = env.current_player();
    for (int a = 0; a < n; ++a) {
      if (mover >= 0 && a != mover) continue;
      seats[a]->act(env, a, obs[a].data(), rng, act[a].data());
      if (mover >= 0 && env.action_space(a).kind() == Space::Kind::Discrete) {
        // An illegal move forfeits the game, as PettingZoo's TerminateIllegalWrapper rules.
        const Space& space = env.action_space(a);
        const int64_t move = *reinterpret_cast<const int64_t*>(act[a].data()) - space.start();
        mask = env.action_mask(a);
        if (move < 0 || move >= space.n() || !mask[move]) {
          g.seat0_score = a == 0 ? 0.0 : 1.0;
          g.end = "illegal";
          return;
        }
      }
    }
    env.step_into(act_ptr.data(), obs_ptr.data(), rewards.data(), terminated.data(), truncated.data());
    for (int a = 0; a < n; ++a) returns[a] += rewards[a];
    ++g.length;
  }
  g.seat0_score = returns[0] > returns[1] ? 1.0 : returns[0] < returns[1] ? 0.0 : 0.5;
}

std::string row(const PlayedGame& g, const std::vector<PlayerEntry>& players) {
  std::ostringstream os;
  os << g.game << ',' << players[g.seat0].name << ',' << players[g.seat1].name << ',' << g.seed << ','
     << g.seat0_score << ',' << g.length << ',' << g.end << '\n';
  return os.str();
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream is(line);
  while (std::getline(is, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// The settings that make two tournaments the same; OUT/tournament.json keeps them.
nlohmann::json settings_of(const TournamentConfig& c) {
  nlohmann::json players = nlohmann::json::array();
  for (const auto& p : c.players) players.push_back({{"name", p.name}, {"spec", p.spec}});
  return {{"env", c.env}, {"env_options", c.kwargs.repr()}, {"players", players},
          {"games_per_pair", c.games_per_pair}, {"seed", c.seed}};
}

// Reads the finished games of OUT/games.csv into `schedule` (marking them in `done`),
// cutting off a last row that a kill left half-written.
void read_finished(const std::string& path, const std::vector<PlayerEntry>& players, std::vector<PlayedGame>& schedule,
                   std::vector<uint8_t>& done) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  size_t pos = 0, good_end = 0;
  int64_t line_no = 0;
  while (pos < text.size()) {
    const size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;  // a torn last row: dropped below
    const std::string line = text.substr(pos, nl - pos);
    ++line_no;
    pos = nl + 1;
    if (line_no == 1) {
      if (line != kHeader)
        throw Error(path + " does not start with the header '" + std::string(kHeader) +
                    "'; give --out a new directory");
      good_end = pos;
      continue;
    }
    const std::vector<std::string> cells = split(line);
    auto bad = [&](const std::string& why) {
      return Error(path + " line " + std::to_string(line_no) + ": " + why +
                   "; it is not this tournament's (give --out a new directory, or remove the line)");
    };
    if (cells.size() != 7) throw bad("7 columns expected");
    int64_t game = -1;
    try {
      game = std::stoll(cells[0]);
    } catch (const std::exception&) {
      throw bad("game '" + cells[0] + "' is not a number");
    }
    if (game < 0 || game >= static_cast<int64_t>(schedule.size())) throw bad("game " + cells[0] + " is not scheduled");
    PlayedGame& g = schedule[game];
    if (cells[1] != players[g.seat0].name || cells[2] != players[g.seat1].name || cells[3] != std::to_string(g.seed))
      throw bad("game " + cells[0] + " was played by other players or from another seed");
    if (cells[4] != "1" && cells[4] != "0.5" && cells[4] != "0") throw bad("score '" + cells[4] + "'");
    g.seat0_score = std::stod(cells[4]);
    try {
      g.length = std::stoll(cells[5]);
    } catch (const std::exception&) {
      throw bad("length '" + cells[5] + "' is not a number");
    }
    g.end = cells[6];
    done[game] = 1;
    good_end = pos;
  }
  if (good_end < text.size()) fs::resize_file(path, good_end);
}

// Creates OUT, checks that it holds this tournament's settings (or none yet) and reads
// the games it has played already.
void prepare_out(const TournamentConfig& config, const std::string& csv, std::vector<PlayedGame>& games,
                 std::vector<uint8_t>& done) {
  std::error_code ec;
  fs::create_directories(config.out, ec);
  if (ec || !fs::is_directory(config.out))
    throw Error("--out " + config.out + ": cannot create the directory (" + ec.message() + ")");
  const std::string settings_path = (fs::path(config.out) / "tournament.json").string();
  const nlohmann::json settings = settings_of(config);
  if (fs::exists(settings_path)) {
    std::ifstream in(settings_path);
    nlohmann::json old;
    try {
      in >> old;
    } catch (const std::exception&) {
      throw Error(settings_path + " is not JSON; give --out a new directory");
    }
    if (old != settings)
      throw Error(config.out + " holds a tournament with other settings (" + settings_path +
                  "); run the same command to continue it, or give --out a new directory");
  } else {
    write_file_atomically(settings_path, settings.dump(2) + "\n");
  }
  read_finished(csv, config.players, games, done);
}

}  // namespace

void rate_games(const std::vector<PlayedGame>& games, int players, uint64_t seed, TournamentResult& result) {
  std::vector<GameResult> results;
  for (const auto& g : games) results.push_back({g.seat0, g.seat1, g.seat0_score});
  result.elo = elo_with_intervals(results, players, 2000, seed);
  result.trueskill = trueskill_ratings(results, players);
}

TournamentResult run_tournament(const TournamentConfig& config) {
  const int p = static_cast<int>(config.players.size());
  if (p < 2) throw Error("tournament: give at least two players (--players P1 P2 ...)");
  if (config.games_per_pair < 1) throw Error("tournament: --games-per-pair must be at least 1");
  if (config.threads < 1) throw Error("tournament: --threads must be at least 1");
  for (int i = 0; i < p; ++i)
    for (int j = i + 1; j < p; ++j)
      if (config.players[i].name == config.players[j].name)
        throw Error("tournament: two players are named '" + config.players[i].name +
                    "'; name them apart with NAME=SPEC");
  // Every player is made once here, so a bad one stops the tournament before any game.
  std::unique_ptr<MultiAgentEnv> probe = make_multi(config.env, config.kwargs);
  if (probe->num_agents() != 2)
    throw Error("tournament: " + config.env + " has " + std::to_string(probe->num_agents()) +
                " agents; tournaments seat two players, one per agent");
  for (const auto& player : config.players) make_player(player.spec, *probe);

  const int rank = config.ranks ? config.ranks->rank() : 0;
  const int ranks = config.ranks ? config.ranks->size() : 1;
  std::vector<PlayedGame> games = tournament_schedule(p, config.games_per_pair, config.seed);
  std::vector<uint8_t> done(games.size(), 0);
  const std::string csv = (fs::path(config.out) / "games.csv").string();
  std::FILE* file = nullptr;
  // Rank 0 owns OUT: it checks the settings and reads the games played already, then
  // tells the other ranks which games are left (or the error that stopped it).
  std::string prepared;
  if (rank == 0) {
    try {
      prepare_out(config, csv, games, done);
      file = std::fopen(csv.c_str(), "ab");
      if (!file) throw Error("--out " + config.out + ": cannot write games.csv; check that the directory is writable");
      if (std::ftell(file) == 0) std::fputs((std::string(kHeader) + "\n").c_str(), file);
      std::fflush(file);
      prepared.assign(done.begin(), done.end());
      for (char& c : prepared) c = c ? '1' : '0';
    } catch (const Error& e) {
      if (ranks > 1) config.ranks->broadcast_text(std::string("!") + e.what());
      throw;
    }
  }
  if (ranks > 1) {
    prepared = config.ranks->broadcast_text(prepared);
    if (!prepared.empty() && prepared[0] == '!') throw Error(prepared.substr(1));
    for (size_t g = 0; g < done.size() && g < prepared.size(); ++g) done[g] = prepared[g] == '1';
  }
  std::vector<int64_t> todo;
  for (size_t g = 0, left = 0; g < games.size(); ++g)
    if (!done[g] && left++ % ranks == static_cast<size_t>(rank)) todo.push_back(static_cast<int64_t>(g));
  std::string others_rows;  // a rank other than 0: its finished games, for rank 0

  std::mutex mu;
  std::atomic<size_t> next{0};
  int64_t finished = 0;
  std::exception_ptr error;
  const bool show = config.progress && rank == 0;
  Progress progress("tournament " + config.env, static_cast<double>(todo.size()));
  const auto start = std::chrono::steady_clock::now();
  auto worker = [&]() {
    try {
      std::unique_ptr<MultiAgentEnv> env = make_multi(config.env, config.kwargs);
      std::vector<std::unique_ptr<Player>> players;
      for (const auto& player : config.players) players.push_back(make_player(player.spec, *env));
      while (true) {
        const size_t k = next.fetch_add(1);
        if (k >= todo.size()) break;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (error) break;
        }
        PlayedGame& g = games[todo[k]];
        Player* const seats[2] = {players[g.seat0].get(), players[g.seat1].get()};
        play(*env, seats, g);
        const std::string line = row(g, config.players);
        std::lock_guard<std::mutex> lock(mu);
        if (file) {
          std::fputs(line.c_str(), file);
          std::fflush(file);  // a kill loses at most the games being played
        } else {
          others_rows += line;
        }
        ++finished;
        if (show) {
          const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          char detail[64];
          std::snprintf(detail, sizeof detail, "%lld/%zu games, %.1f games/s", static_cast<long long>(finished),
                        todo.size(), finished / std::max(s, 1e-9));
          progress.update(static_cast<double>(finished), detail);
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      if (!error) error = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  const int threads = static_cast<int>(std::min<int64_t>(config.threads, std::max<int64_t>(1, todo.size())));
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (show) progress.finish();
  if (error) {
    if (file) std::fclose(file);
    std::rethrow_exception(error);
  }
  TournamentResult result;
  if (ranks > 1) {
    const std::vector<std::string> shares = config.ranks->gather_texts(others_rows);
    if (rank != 0) {  // rank 0 writes the tables and the report
      result.played_now = finished;
      return result;
    }
    for (const std::string& share : shares) {
      std::fputs(share.c_str(), file);
      std::istringstream lines(share);
      for (std::string line; std::getline(lines, line);) {
        const std::vector<std::string> cells = split(line);
        PlayedGame& g = games.at(std::stoll(cells.at(0)));
        g.seat0_score = std::stod(cells.at(4));
        g.length = std::stoll(cells.at(5));
        g.end = cells.at(6);
        ++finished;
      }
    }
  }
  std::fclose(file);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.played_now = finished;
  result.games = std::move(games);
  rate_games(result.games, p, config.seed, result);
  write_tournament_report(config, result);
  return result;
}

}  // namespace rlarena
