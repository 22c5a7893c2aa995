// Rng: the seeded random generator of every env, space, sampler and policy.
// xoshiro256** seeded through splitmix64: fast, and its streams are the same on
// every platform and standard library (std:: distributions are not).
#pragma once
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>

namespace rlarena {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) { this->seed(seed); }

  void seed(uint64_t seed) {
    uint64_t x = seed;
    for (auto& s : s_) s = splitmix64(x);
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in [low, high), the way numpy's Generator.uniform maps it.
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Uniform integer in [0, n), unbiased (Lemire's multiply-shift with rejection).
  uint64_t below(uint64_t n) {
    if (n <= 1) return 0;
    unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * n;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(next_u64()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }
  double normal() {  // Box-Muller; one value per call keeps the stream simple.
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  // The full state, so a checkpoint can restore a stream exactly.
  struct State { uint64_t s[4]; };
  State state() const { return {{s_[0], s_[1], s_[2], s_[3]}}; }
  void set_state(const State& st) { for (int i = 0; i < 4; ++i) s_[i] = st.s[i]; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

// A reset's seeding, as Gymnasium's: `seed` reseeds `rng`; without one the stream goes
// on, seeded from the OS the very first time (`seeded` records that).
inline void seed_for_reset(Rng& rng, bool& seeded, std::optional<uint64_t> seed) {
  if (seed) {
    rng.seed(*seed);
    seeded = true;
  } else if (!seeded) {
    std::random_device rd;
    rng.seed((static_cast<uint64_t>(rd()) << 32) ^ rd());
    seeded = true;
  }
}

}  // namespace rlarena
