// What a tournament leaves in its output directory besides games.csv: matrix.csv
// (wins, draws and losses per ordered pair), ratings.csv and ratings.json (Elo with
// its 95% interval, TrueSkill, games), report.md, and matrix.png, a heat map of win
// rates drawn by gnuplot. Every file is written under a temporary name and renamed.
#pragma once
#include "arena/tournament.h"

namespace rlarena {

void write_tournament_report(const TournamentConfig& config, const TournamentResult& result);

}  // namespace rlarena
