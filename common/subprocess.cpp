#include "common/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/error.h"

extern char** environ;

namespace rlarena {

Subprocess::Subprocess(const std::vector<std::string>& argv, const std::string& install_hint) : name_(argv.at(0)) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw Error("cannot start " + name_ + ": " + std::strerror(errno));
  char output_path[] = "/tmp/rlarena_subprocess_XXXXXX";
  output_fd_ = mkostemp(output_path, O_CLOEXEC);
  if (output_fd_ < 0) {
    close(pipe_fds[0]), close(pipe_fds[1]);
    throw Error("cannot start " + name_ + ": no temporary file (" + std::strerror(errno) + ")");
  }
  unlink(output_path);  // only our descriptor and the child's keep it
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output_fd_, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output_fd_, STDERR_FILENO);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int err = posix_spawnp(&pid_, name_.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[0]);
  input_ = pipe_fds[1];
  if (err != 0) {
    close(input_), close(output_fd_);
    input_ = output_fd_ = -1, pid_ = -1;
    throw Error("cannot run " + name_ + " (" + std::strerror(err) + "); " + install_hint);
  }
}

Subprocess::~Subprocess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    finish();
  }
  if (output_fd_ >= 0) close(output_fd_);
}

bool Subprocess::write(const void* data, size_t bytes) {
  if (input_ < 0) return false;
  // A program that exited would raise SIGPIPE, which kills us by default: block it for
  // this thread while writing, and take back the one the write raised.
  sigset_t pipe_signal, old;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &old);
  const auto* p = static_cast<const char*>(data);
  bool ok = true;
  while (bytes > 0) {
    const ssize_t n = ::write(input_, p, bytes);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (errno == EPIPE) {
        const timespec now{0, 0};
        sigtimedwait(&pipe_signal, nullptr, &now);
      }
      ok = false;
      break;
    }
    p += n, bytes -= static_cast<size_t>(n);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return ok;
}

std::string Subprocess::last_line(const std::string& output) {
  const size_t end = output.find_last_not_of("\n\r ");
  if (end == std::string::npos) return "it printed nothing";
  const size_t newline = output.rfind('\n', end);
  const size_t start = newline == std::string::npos ? 0 : newline + 1;
  return output.substr(start, end + 1 - start);
}

int Subprocess::finish(std::string* output) {
  if (input_ >= 0) close(input_), input_ = -1;
  int status = 0;
  if (pid_ > 0) {
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  if (output && output_fd_ >= 0) {
    output->clear();
    char buf[4096];
    ssize_t n;
    lseek(output_fd_, 0, SEEK_SET);
    while ((n = read(output_fd_, buf, sizeof buf)) > 0) output->append(buf, static_cast<size_t>(n));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace rlarena
