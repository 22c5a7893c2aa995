// D4RL HDF5: store -> file -> store round trips keep every value, flags are h5py's
// numpy-bool enum, D4RL's own variants (float64, 0/1 integers, [N,1] rewards, no
// next_observations) read right, slices, and each kind of bad file names the file,
// the key and what was expected.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>

#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/core/vec_env.h"
#include "replay/d4rl.h"
#include "replay/h5.h"
#include "replay/vec_writer.h"
#include "replay_helpers.h"

using namespace rlarena;
using rlarena::test::temp_path;

namespace {

// Closed rows oldest first.
std::vector<int64_t> closed_rows(const ReplayStore& s) {
  std::vector<int64_t> rows;
  for (int64_t k = 0; k < s.size(); ++k) {
    const int64_t r = (s.oldest() + k) % s.capacity();
    if (s.is_closed(r)) rows.push_back(r);
  }
  return rows;
}

}  // namespace

TEST_CASE("D4RL round trip: store -> file -> store keeps every value", "[d4rl]") {
  for (const char* id : {"Pendulum-v1", "CartPole-v1"}) {
    INFO(id);
    const auto store = test::collect(id, 3, 250, 21);  // Pendulum: 200-step episodes truncate
    const std::string path = temp_path("roundtrip.hdf5");
    write_d4rl(*store, path, {{"env_id", id}, {"policy", "random"}, {"seed", "21"}});
    Metadata meta;
    const auto back = read_d4rl(path, 0, -1, &meta);
    CHECK(meta.at("env_id") == id);
    CHECK(meta.at("policy") == "random");
    CHECK(back->observation_space() == store->observation_space());  // from the registered env
    CHECK(back->action_space() == store->action_space());
    test::require_same_steps(*store, *back);
    // Written again, the file's arrays are the same.
    const std::string again = temp_path("roundtrip2.hdf5");
    write_d4rl(*back, again, meta);
    H5::H5File f1(path, H5F_ACC_RDONLY), f2(again, H5F_ACC_RDONLY);
    const auto n = static_cast<hsize_t>(store->closed());
    CHECK(h5::read_floats(f1, "next_observations", path, 0, n) == h5::read_floats(f2, "next_observations", again, 0, n));
    CHECK(h5::read_flags(f1, "timeouts", path, 0, n) == h5::read_flags(f2, "timeouts", again, 0, n));
    // Flags are h5py's numpy bool: an int8 enum FALSE=0, TRUE=1.
    CHECK(h5::shape_of(f1, "terminals", path).is_bool);
    CHECK(h5::shape_of(f1, "timeouts", path).is_bool);
    std::remove(path.c_str());
    std::remove(again.c_str());
  }
}

TEST_CASE("D4RL files as D4RL writes them read right", "[d4rl]") {
  // 6 steps of 2-d observations: an episode of 3 ending in a terminal, one of 2
  // ending in a timeout, and a last step; float64 arrays, [N, 1] rewards, 0/1
  // integer flags, no next_observations, a fixed-length string in metadata/.
  const std::string path = temp_path("foreign.hdf5");
  {
    H5::H5File f(path, H5F_ACC_TRUNC);
    const double obs[6][2] = {{0, 0.5}, {1, 1.5}, {2, 2.5}, {3, 3.5}, {4, 4.5}, {5, 5.5}};
    const double act[6][1] = {{0.1}, {0.2}, {0.3}, {0.4}, {0.5}, {0.6}};
    const double rew[6][1] = {{1}, {2}, {3}, {4}, {5}, {6}};
    const uint8_t term[6] = {0, 0, 1, 0, 0, 0};
    const int32_t timeouts[6] = {0, 0, 0, 0, 1, 0};
    const h5::WriteOptions gz{true, false};
    h5::write_array(f, "observations", H5::PredType::IEEE_F64LE, {6, 2}, obs, gz);
    h5::write_array(f, "actions", H5::PredType::IEEE_F64LE, {6, 1}, act, gz);
    h5::write_array(f, "rewards", H5::PredType::IEEE_F64LE, {6, 1}, rew, gz);
    h5::write_array(f, "terminals", H5::PredType::STD_U8LE, {6}, term, gz);
    h5::write_array(f, "timeouts", H5::PredType::STD_I32LE, {6}, timeouts, gz);
    H5::Group meta = f.createGroup("metadata");
    H5::StrType fixed(H5::PredType::C_S1, 3);
    meta.createDataSet("algorithm", fixed, H5::DataSpace(H5S_SCALAR)).write(std::string("SAC"), fixed);
  }
  Metadata meta;
  const auto s = read_d4rl(path, 0, -1, &meta);
  CHECK(meta.at("algorithm") == "SAC");
  REQUIRE(s->closed() == 6);
  const auto rows = closed_rows(*s);
  const auto obs_at = [&](const uint8_t* p, int k) { return reinterpret_cast<const float*>(p)[k]; };
  for (int i = 0; i < 6; ++i) {
    INFO("step " << i);
    CHECK(obs_at(s->obs(rows[i]), 1) == static_cast<float>(i + 0.5));
    CHECK(s->reward(rows[i]) == static_cast<float>(i + 1));
    CHECK(*reinterpret_cast<const float*>(s->action(rows[i])) == static_cast<float>(0.1 * (i + 1)));
  }
  CHECK(s->terminated(rows[2]));
  CHECK(s->truncated(rows[4]));
  // Without next_observations, a step's next observation is the next row's...
  CHECK(s->next_row(rows[0]) == rows[1]);
  CHECK(obs_at(s->next_obs(rows[3]), 0) == 4.0f);
  // ...and episodes end at terminals and timeouts.
  CHECK(s->next_row(rows[2]) == -1);
  CHECK(s->next_row(rows[4]) == -1);
  CHECK(s->episode(rows[3]) == s->episode(rows[2]) + 1);
  CHECK(summarize(*s).episodes == 3);  // the file's last step ends the last one

  // A slice holds just its rows.
  const auto slice = read_d4rl(path, 1, 4);
  REQUIRE(slice->closed() == 3);
  CHECK(obs_at(slice->obs(closed_rows(*slice)[0]), 0) == 1.0f);
  CHECK_THROWS_WITH(read_d4rl(path, 4, 9), Catch::Contains("rows 4..9") && Catch::Contains("6 steps"));
  std::remove(path.c_str());
}

TEST_CASE("Bad dataset files name the file, the key and what was expected", "[d4rl]") {
  const auto store = test::collect("Pendulum-v1", 2, 20, 21);
  const std::string good = temp_path("good.hdf5");
  write_d4rl(*store, good, {});
  const auto n = static_cast<hsize_t>(store->closed());

  // Builds a file from the good one's arrays with one change.
  const auto variant = [&](const std::string& name, const std::function<void(H5::H5File&)>& change) {
    const std::string path = temp_path(name);
    H5::H5File src(good, H5F_ACC_RDONLY);
    H5::H5File f(path, H5F_ACC_TRUNC);
    const std::vector<float> obs = h5::read_floats(src, "observations", good, 0, n);
    const std::vector<float> act = h5::read_floats(src, "actions", good, 0, n);
    const std::vector<float> rew = h5::read_floats(src, "rewards", good, 0, n);
    const std::vector<uint8_t> term = h5::read_flags(src, "terminals", good, 0, n);
    const h5::WriteOptions wo;
    h5::write_array(f, "observations", H5::PredType::NATIVE_FLOAT, {n, 3}, obs.data(), wo);
    h5::write_array(f, "actions", H5::PredType::NATIVE_FLOAT, {n, 1}, act.data(), wo);
    h5::write_array(f, "rewards", H5::PredType::NATIVE_FLOAT, {n}, rew.data(), wo);
    h5::write_array(f, "terminals", h5::bool_type(), {n}, term.data(), wo);
    change(f);
    return path;
  };
  struct Case {
    std::string path;
    std::vector<std::string> says;
  };
  const std::vector<Case> cases = {
      {variant("missing.hdf5", [](H5::H5File& f) { f.unlink("actions"); }), {"'actions'", "missing"}},
      {variant("short.hdf5",
               [&](H5::H5File& f) {
                 f.unlink("rewards");
                 std::vector<float> r(n - 3, 0.0f);
                 h5::write_array(f, "rewards", H5::PredType::NATIVE_FLOAT, {n - 3}, r.data(), {});
               }),
       {"'rewards'", std::to_string(n - 3) + " rows", "one row per step"}},
      {variant("shape.hdf5",
               [&](H5::H5File& f) {
                 std::vector<float> o(n * 4, 0.0f);
                 h5::write_array(f, "next_observations", H5::PredType::NATIVE_FLOAT, {n, 4}, o.data(), {});
               }),
       {"'next_observations'", "expected the shape of 'observations'"}},
      {variant("flags.hdf5",
               [&](H5::H5File& f) {
                 std::vector<int32_t> t(n, 2);
                 h5::write_array(f, "timeouts", H5::PredType::NATIVE_INT32, {n}, t.data(), {});
               }),
       {"'timeouts'", "expected booleans"}},
      {variant("dtype.hdf5",
               [&](H5::H5File& f) {
                 f.unlink("rewards");
                 H5::StrType st(H5::PredType::C_S1, 4);
                 std::vector<char> text(n * 4, 'a');
                 h5::write_array(f, "rewards", st, {n}, text.data(), {});
               }),
       {"'rewards'", "expected numbers"}},
  };
  for (const auto& c : cases) {
    INFO(c.path);
    try {
      read_d4rl(c.path);
      FAIL("read a bad file");
    } catch (const Error& e) {
      const std::string msg = e.what();
      CHECK_THAT(msg, Catch::Contains(c.path));
      for (const auto& s : c.says) CHECK_THAT(msg, Catch::Contains(s));
    }
    std::remove(c.path.c_str());
  }

  // Truncated: the first half of a good file.
  const std::string cut = temp_path("cut.hdf5");
  {
    std::ifstream in(good, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  CHECK_THROWS_WITH(read_d4rl(cut), Catch::Contains(cut) && Catch::Contains("damaged or truncated"));
  const std::string text = temp_path("text.hdf5");
  std::ofstream(text) << "observations,actions\n1,2\n";
  CHECK_THROWS_WITH(read_d4rl(text), Catch::Contains(text) && Catch::Contains("not an HDF5 file"));
  CHECK_THROWS_WITH(read_d4rl(temp_path("absent.hdf5")), Catch::Contains("no such file"));
  CHECK_THROWS_WITH(write_d4rl(*store, "/nonexistent/dir/out.hdf5", {}), Catch::Contains("writable"));
  for (const auto& p : {good, cut, text}) std::remove(p.c_str());
}
