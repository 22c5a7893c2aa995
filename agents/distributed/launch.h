// How `rlarena train` starts and joins distributed jobs, with no LibTorch in this
// header (the command line code stays free of it): joining the job torchrun's
// variables describe, and starting N local ranks of this program (--nproc N).
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace rlarena {

// Membership of a job for the life of this object: its World is current_world().
class JobMembership {
 public:
  virtual ~JobMembership() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // One line on the gradient all-reduces: calls, time each, share of the updates' time.
  virtual std::string timing_summary() const = 0;
  // World::gather_texts and World::broadcast_text, for code without LibTorch.
  virtual std::vector<std::string> gather_texts(const std::string& mine) = 0;
  virtual std::string broadcast_text(const std::string& text) = 0;
};

// Joins the job torchrun's variables describe (WORLD_SIZE, RANK, MASTER_ADDR,
// MASTER_PORT); null when WORLD_SIZE is unset. Collectives give up after `timeout_s`.
std::unique_ptr<JobMembership> join_job_from_env(double timeout_s);

// Runs this program's `command` with `args` (less their --nproc N) as `nproc` ranks of
// one job on 127.0.0.1 (torchrun's variables set for each; MASTER_PORT from the
// environment or a free port). Ranks
// other than 0 keep quiet on stdout. When a rank fails, the others get `grace_s`
// seconds to stop with their own error (a collective's timeout) before they are
// ended. Returns 0, or the exit code of the first rank that failed.
int run_local_ranks(const std::string& command, const std::vector<std::string>& args, int nproc, double grace_s);

}  // namespace rlarena
