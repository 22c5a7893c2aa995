#include "arena/report.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/gnuplot.h"

namespace rlarena {

namespace fs = std::filesystem;

namespace {

struct Tally {
  int64_t wins = 0, draws = 0, losses = 0;
  int64_t games() const { return wins + draws + losses; }
  double score() const { return games() ? (wins + 0.5 * draws) / static_cast<double>(games()) : 0.0; }
};

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// The heat map: row player's score against the column player (draws half), in the
// order of the ratings.
void draw_matrix(const std::string& out, const std::vector<PlayerEntry>& players, const std::vector<int>& order,
                 const std::vector<std::vector<Tally>>& tally, const std::string& title) {
  const int n = static_cast<int>(order.size());
  std::string cells = "$m << EOD\n", labels = "$l << EOD\n";
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const Tally& t = tally[order[r]][order[c]];
      const std::string at = std::to_string(c) + " " + std::to_string(r) + " ";
      if (r == c || !t.games()) {
        cells += at + "NaN\n";
        continue;
      }
      cells += at + fixed(t.score(), 3) + "\n";
      labels += at + fixed(t.score(), 2) + "\n";
    }
  std::string script = cells + "EOD\n" + labels + "EOD\nset title " + gnuplot_string(title) + " noenhanced\n";
  std::string tics;
  for (int i = 0; i < n; ++i) tics += (i ? ", " : "") + gnuplot_string(players[order[i]].name) + " " + std::to_string(i);
  script += "set xtics (" + tics + ") rotate by -30 noenhanced\nset ytics (" + tics + ") noenhanced\n";
  script += "set xrange [-0.5:" + std::to_string(n) + "-0.5]\nset yrange [" + std::to_string(n) +
            "-0.5:-0.5]\nset cbrange [0:1]\nset cblabel 'score of the row player (wins + draws/2)'\n"
            "set palette defined (0 '#b2182b', 0.5 '#f7f7f7', 1 '#2166ac')\nset xlabel 'opponent'\n"
            "set size ratio -1\nunset key\n"
            "plot $m using 1:2:3 with image, $l using 1:2:3 with labels font 'sans,10'\n";
  const int side = std::max(420, 120 + 70 * n);
  gnuplot_draw(out, side + 160, side, script);
}

}  // namespace

void write_tournament_report(const TournamentConfig& config, const TournamentResult& result) {
  const int n = static_cast<int>(config.players.size());
  const fs::path dir(config.out);
  std::vector<std::vector<Tally>> tally(n, std::vector<Tally>(n));
  std::vector<int64_t> games_of(n, 0);
  int64_t illegal = 0;
  for (const PlayedGame& g : result.games) {
    Tally& a = tally[g.seat0][g.seat1];
    Tally& b = tally[g.seat1][g.seat0];
    if (g.seat0_score == 1.0) ++a.wins, ++b.losses;
    else if (g.seat0_score == 0.0) ++a.losses, ++b.wins;
    else ++a.draws, ++b.draws;
    ++games_of[g.seat0], ++games_of[g.seat1];
    illegal += g.end == "illegal";
  }

  std::string matrix = "player,opponent,wins,draws,losses,games,score\n";
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (i == j) continue;
      const Tally& t = tally[i][j];
      matrix += config.players[i].name + "," + config.players[j].name + "," + std::to_string(t.wins) + "," +
                std::to_string(t.draws) + "," + std::to_string(t.losses) + "," + std::to_string(t.games()) + "," +
                fixed(t.score(), 4) + "\n";
    }
  write_file_atomically((dir / "matrix.csv").string(), matrix);

  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return result.elo[a].elo > result.elo[b].elo; });

  std::string ratings = "player,elo,elo_lo,elo_hi,trueskill_mu,trueskill_sigma,games\n";
  nlohmann::json json = nlohmann::json::array();
  for (int i = 0; i < n; ++i) {
    const EloInterval& e = result.elo[i];
    const TrueSkill& t = result.trueskill[i];
    ratings += config.players[i].name + "," + fixed(e.elo, 1) + "," + fixed(e.lo, 1) + "," + fixed(e.hi, 1) + "," +
               fixed(t.mu, 3) + "," + fixed(t.sigma, 3) + "," + std::to_string(games_of[i]) + "\n";
    json.push_back({{"player", config.players[i].name}, {"spec", config.players[i].spec}, {"elo", e.elo},
                    {"elo_lo", e.lo}, {"elo_hi", e.hi}, {"trueskill_mu", t.mu}, {"trueskill_sigma", t.sigma},
                    {"games", games_of[i]}});
  }
  write_file_atomically((dir / "ratings.csv").string(), ratings);
  write_file_atomically((dir / "ratings.json").string(), json.dump(2) + "\n");

  std::ostringstream md;
  md << "# Tournament on " << config.env << "\n\n"
     << result.games.size() << " games, " << config.games_per_pair << " per pair, seats swapped equally; seed "
     << config.seed << (config.kwargs.items().empty() ? "" : "; env options " + config.kwargs.repr()) << ".\n"
     << "Elo: Bradley-Terry fit over all games with 2 virtual draws per pair that met (BayesElo's prior), "
        "400*log10 scale, " << config.players[0].name << " at 1000, 95% intervals from 2000 bootstrap resamples "
        "of the games. TrueSkill: mu 25, sigma 25/3, beta 25/6, tau 25/300, draw probability 0.10, games in order.\n";
  if (illegal) md << illegal << " games ended by an illegal move, lost by the player who made it.\n";
  md << "\n| rank | player | Elo | 95% interval | TrueSkill mu | sigma | games | spec |\n"
        "|---:|---|---:|---|---:|---:|---:|---|\n";
  for (int r = 0; r < n; ++r) {
    const int i = order[r];
    md << "| " << r + 1 << " | " << config.players[i].name << " | " << fixed(result.elo[i].elo, 0) << " | ["
       << fixed(result.elo[i].lo, 0) << ", " << fixed(result.elo[i].hi, 0) << "] | "
       << fixed(result.trueskill[i].mu, 2) << " | " << fixed(result.trueskill[i].sigma, 2) << " | " << games_of[i]
       << " | `" << config.players[i].spec << "` |\n";
  }
  md << "\nScore of the row player against the column player (wins + draws/2 over games):\n\n| |";
  for (int c = 0; c < n; ++c) md << " " << config.players[order[c]].name << " |";
  md << "\n|---|";
  for (int c = 0; c < n; ++c) md << "---:|";
  md << "\n";
  for (int r = 0; r < n; ++r) {
    md << "| " << config.players[order[r]].name << " |";
    for (int c = 0; c < n; ++c) {
      const Tally& t = tally[order[r]][order[c]];
      md << " " << (r == c ? "" : fixed(t.score(), 2) + " (" + std::to_string(t.wins) + "-" + std::to_string(t.draws) +
                                     "-" + std::to_string(t.losses) + ")")
         << " |";
    }
    md << "\n";
  }
  md << "\n(wins-draws-losses in brackets.) ![win rates](matrix.png)\n";
  write_file_atomically((dir / "report.md").string(), md.str());
  draw_matrix((dir / "matrix.png").string(), config.players, order, tally, "Tournament on " + config.env);
}

}  // namespace rlarena
