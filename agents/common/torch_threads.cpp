#include "agents/common/torch_threads.h"

#include <dlfcn.h>
#include <malloc.h>
#include <torch/torch.h>

#include "common/error.h"

namespace rlarena {

int set_torch_threads(int intra_op_threads) {
  if (intra_op_threads < 1)
    throw Error("torch threads=" + std::to_string(intra_op_threads) + "; give 1 or more");
  torch::set_num_threads(intra_op_threads);
  return torch::get_num_threads();
}

bool set_blas_threads(int threads) {
  if (threads < 1) throw Error("blas threads=" + std::to_string(threads) + "; give 1 or more");
  // Looked up at run time: Debian's libblas.so.3 may be OpenBLAS or another BLAS.
  using SetThreads = void (*)(int);
  const auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (!set) return false;
  set(threads);
  return true;
}

void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // serve blocks up to 32 MB from the heap
  mallopt(M_TRIM_THRESHOLD, 1 << 30);   // and do not shrink the heap under 1 GB free
  mallopt(M_TOP_PAD, 64 << 20);         // grow it 64 MB at a time
}

}  // namespace rlarena
