// Subprocess: runs a helper program (ffmpeg, gnuplot) found on PATH, without a shell:
// its arguments reach it exactly as given, so quotes, `;`, `$()` or spaces in titles
// and paths are plain text. Its standard input is a pipe we write to; its standard
// output and error go to a temporary file, so a failure can be reported with what
// the program said.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace rlarena {

class Subprocess {
 public:
  // Starts argv[0] with arguments argv[1..]; `install_hint` ends the error when the
  // program is missing (e.g. "install Debian's ffmpeg package (scripts/setup.sh does)").
  Subprocess(const std::vector<std::string>& argv, const std::string& install_hint);
  ~Subprocess();  // a program not waited for is killed
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Writes to the program's input; false once it has stopped reading (it exited).
  bool write(const void* data, size_t bytes);
  bool write(const std::string& text) { return write(text.data(), text.size()); }
  // Closes the program's input and waits for it. Returns its exit status (0 is success;
  // -1 when a signal ended it) and puts what it printed into `output`.
  int finish(std::string* output = nullptr);
  // The last line of what a program printed, for an error message.
  static std::string last_line(const std::string& output);

 private:
  std::string name_;
  pid_t pid_ = -1;
  int input_ = -1;
  int output_fd_ = -1;
};

}  // namespace rlarena
