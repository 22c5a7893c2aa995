// SpinLock: a lock for critical sections of a few dozen instructions (the VecEnv
// task queue). A contended std::mutex puts the loser to sleep in the kernel, which
// costs more than stepping a whole batch of cheap envs; this spins instead and
// yields only if the holder seems descheduled.
#pragma once
#include <atomic>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RLARENA_PAUSE() _mm_pause()
#else
#define RLARENA_PAUSE() std::this_thread::yield()
#endif

namespace rlarena {

class SpinLock {
 public:
  void lock() {
    for (int spins = 0; locked_.exchange(true, std::memory_order_acquire); ++spins) {
      while (locked_.load(std::memory_order_relaxed)) {
        if (++spins > kSpinsBeforeYield) std::this_thread::yield();
        else RLARENA_PAUSE();
      }
    }
  }
  bool try_lock() { return !locked_.exchange(true, std::memory_order_acquire); }
  void unlock() { locked_.store(false, std::memory_order_release); }

 private:
  static constexpr int kSpinsBeforeYield = 4000;
  std::atomic<bool> locked_{false};
};

}  // namespace rlarena
