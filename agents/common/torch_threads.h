// Torch and BLAS thread settings. LibTorch starts at 1 intra-op thread here, and
// OpenBLAS at one thread per core; small networks ran slower with more threads on
// these machines (DESIGN.md; a PPO CartPole run spent half its time in OpenBLAS
// threads yielding), so every program sets both counts explicitly from its options.
#pragma once

namespace rlarena {

// Sets LibTorch's intra-op threads (>= 1); returns the count now in force.
int set_torch_threads(int intra_op_threads);
// Sets OpenBLAS's threads (>= 1) when LibTorch's BLAS is OpenBLAS; returns false
// when it is another BLAS (nothing to set). Results can differ by BLAS thread count
// (GEMM sums in another order), so recipes fix it.
bool set_blas_threads(int threads);

// Keeps freed memory in the process (glibc's malloc): by default blocks over 128 KB
// go back to the OS when freed and are faulted in again on the next allocation, and
// an update frees and allocates such tensors many times. Measured here: a SAC update
// on Pendulum ran 5x faster, on HalfCheetah 1.1x. Call once, before training.
void keep_freed_memory();

}  // namespace rlarena
