// Pictures drawn by gnuplot (Debian's gnuplot-nox), run without a shell: learning
// curves (agents/run/plot.h) and tournament heat maps (arena/report.h).
#pragma once
#include <string>

namespace rlarena {

// `text` as a gnuplot string: in single quotes only a doubled quote is special, so
// nothing in it can end the string or start a command. Line ends become spaces.
std::string gnuplot_string(const std::string& text);

// Draws `script` (data blocks, settings and plot commands, with every text quoted by
// gnuplot_string) into `out`, a .png or .svg of width x height pixels. The picture
// is written under a temporary name and renamed, so a failure leaves no half file;
// an Error says what gnuplot said.
void gnuplot_draw(const std::string& out, int width, int height, const std::string& script);

}  // namespace rlarena
