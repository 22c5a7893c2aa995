// Minari datasets: our export matches Minari 0.5's layout key for key; store ->
// Minari -> store and D4RL -> store -> Minari -> store -> D4RL keep every value; a
// dataset written the way Minari writes it (float64, Infinity bounds) reads right;
// bad directories name what is missing.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdio>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "envs/core/registry.h"
#include "envs/core/vec_env.h"
#include "replay/d4rl.h"
#include "replay/h5.h"
#include "replay/minari.h"
#include "replay/vec_writer.h"
#include "replay_helpers.h"

using namespace rlarena;
using rlarena::test::temp_path;
namespace fs = std::filesystem;

namespace {

}  // namespace

TEST_CASE("Minari export has Minari's layout key for key", "[minari]") {
  const auto store = test::collect("CartPole-v1", 2, 60, 8);
  const std::string dir = temp_path("minari_layout/cartpole/random-v0");
  write_minari(*store, dir, "cartpole/random-v0", {{"env_id", "CartPole-v1"}, {"policy", "random"}});
  REQUIRE(fs::is_regular_file(dir + "/data/main_data.hdf5"));
  REQUIRE(fs::is_regular_file(dir + "/data/metadata.json"));

  std::ifstream in(dir + "/data/metadata.json");
  const auto meta = nlohmann::json::parse(in);
  for (const char* key : {"total_episodes", "total_steps", "data_format", "observation_space", "action_space",
                          "env_spec", "dataset_id", "minari_version", "dataset_size"})
    CHECK(meta.contains(key));
  CHECK(meta["data_format"] == "hdf5");
  CHECK(meta["dataset_id"] == "cartpole/random-v0");
  CHECK(meta["minari_version"] == "0.5.3");
  CHECK(meta["total_steps"] == 120);
  // Spaces and env_spec are JSON text inside the JSON, as Minari writes them.
  CHECK(meta["action_space"] == R"({"type": "Discrete", "dtype": "int64", "start": 0, "n": 2})");
  const std::string obs_space = meta["observation_space"].get<std::string>();
  CHECK_THAT(obs_space, Catch::StartsWith(R"({"type": "Box", "dtype": "float32", "shape": [4], "low": [-4.8)"));
  CHECK_THAT(obs_space, Catch::Contains("-Infinity"));
  const auto spec = nlohmann::json::parse(meta["env_spec"].get<std::string>());
  CHECK(spec["id"] == "CartPole-v1");
  CHECK(spec["max_episode_steps"] == 500);
  for (const char* key : {"entry_point", "reward_threshold", "nondeterministic", "order_enforce",
                          "disable_env_checker", "kwargs", "additional_wrappers", "vector_entry_point"})
    CHECK(spec.contains(key));

  H5::H5File f(dir + "/data/main_data.hdf5", H5F_ACC_RDONLY);
  const int64_t episodes = meta["total_episodes"].get<int64_t>();
  CHECK(static_cast<int64_t>(h5::members(f).size()) == episodes);
  int64_t steps = 0;
  for (int64_t e = 0; e < episodes; ++e) {
    INFO("episode " << e);
    H5::Group g = f.openGroup("episode_" + std::to_string(e));
    CHECK(h5::members(g) ==
          std::vector<std::string>{"actions", "infos", "observations", "rewards", "terminations", "truncations"});
    const auto t = h5::shape_of(g, "actions", "").rows();
    CHECK(h5::shape_of(g, "observations", "").dims == std::vector<hsize_t>{t + 1, 4});
    CHECK(h5::shape_of(g, "rewards", "").repr() == "[" + std::to_string(t) + "] float64");
    CHECK(h5::shape_of(g, "terminations", "").is_bool);
    CHECK(h5::shape_of(g, "truncations", "").is_bool);
    int64_t id = -1, total = -1;
    g.openAttribute("id").read(H5::PredType::NATIVE_INT64, &id);
    g.openAttribute("total_steps").read(H5::PredType::NATIVE_INT64, &total);
    CHECK(id == e);
    CHECK(total == static_cast<int64_t>(t));
    steps += total;
  }
  CHECK(steps == 120);
  CHECK_THROWS_WITH(write_minari(*store, dir, "x-v0", {}), Catch::Contains("exists"));
  fs::remove_all(temp_path("minari_layout"));
}

TEST_CASE("Round trips D4RL <-> store <-> Minari keep every value", "[minari]") {
  const auto store = test::collect("Pendulum-v1", 3, 230, 8);
  const std::string dir = temp_path("minari_rt");
  write_minari(*store, dir, "pendulum/random-v0", {{"env_id", "Pendulum-v1"}});
  MinariInfo info;
  const auto back = read_minari(dir, &info);
  CHECK(info.env_id == "Pendulum-v1");
  CHECK(info.total_steps == 690);
  CHECK(back->observation_space() == store->observation_space());
  CHECK(back->action_space() == store->action_space());
  test::require_same_steps(*store, *back);

  // D4RL -> store -> Minari -> store -> D4RL: the same arrays.
  const std::string d4rl = temp_path("rt.hdf5"), d4rl2 = temp_path("rt2.hdf5");
  write_d4rl(*back, d4rl, {{"env_id", "Pendulum-v1"}});
  const auto from_d4rl = read_d4rl(d4rl);
  const std::string dir2 = temp_path("minari_rt2");
  write_minari(*from_d4rl, dir2, "pendulum/random-v1", {});
  write_d4rl(*read_minari(dir2), d4rl2, {});
  H5::H5File a(d4rl, H5F_ACC_RDONLY), b(d4rl2, H5F_ACC_RDONLY);
  const hsize_t n = 690;
  for (const char* key : {"observations", "next_observations", "actions", "rewards"})
    CHECK(h5::read_floats(a, key, d4rl, 0, n) == h5::read_floats(b, key, d4rl2, 0, n));
  for (const char* key : {"terminals", "timeouts"})
    CHECK(h5::read_flags(a, key, d4rl, 0, n) == h5::read_flags(b, key, d4rl2, 0, n));
  fs::remove_all(dir);
  fs::remove_all(dir2);
  std::remove(d4rl.c_str());
  std::remove(d4rl2.c_str());
}

TEST_CASE("A dataset written the way Minari writes it reads right", "[minari]") {
  // Two episodes of a 2-d float64 Box with Infinity bounds: 3 steps ending in a
  // termination, then 2 steps ending in a truncation.
  const std::string dir = temp_path("minari_foreign");
  fs::create_directories(dir + "/data");
  {
    H5::H5File f(dir + "/data/main_data.hdf5", H5F_ACC_TRUNC);
    const std::vector<hsize_t> lengths = {3, 2};
    for (size_t e = 0; e < lengths.size(); ++e) {
      const hsize_t t = lengths[e];
      H5::Group g = f.createGroup("episode_" + std::to_string(e));
      std::vector<double> obs, act, rew;
      for (hsize_t i = 0; i <= t; ++i) obs.push_back(10.0 * e + i), obs.push_back(0.5);
      for (hsize_t i = 0; i < t; ++i) act.push_back(0.25 * i), rew.push_back(1.0 + i);
      std::vector<uint8_t> term(t, 0), trunc(t, 0);
      (e == 0 ? term : trunc)[t - 1] = 1;
      h5::write_array(g, "observations", H5::PredType::IEEE_F64LE, {t + 1, 2}, obs.data(), {false, true});
      h5::write_array(g, "actions", H5::PredType::IEEE_F64LE, {t, 1}, act.data(), {false, true});
      h5::write_array(g, "rewards", H5::PredType::IEEE_F64LE, {t}, rew.data(), {false, true});
      h5::write_array(g, "terminations", h5::bool_type(), {t}, term.data(), {false, true});
      h5::write_array(g, "truncations", h5::bool_type(), {t}, trunc.data(), {false, true});
    }
  }
  nlohmann::ordered_json meta;
  meta["total_episodes"] = 2;
  meta["total_steps"] = 5;
  meta["data_format"] = "hdf5";
  meta["observation_space"] =
      R"({"type": "Box", "dtype": "float64", "shape": [2], "low": [-Infinity, -Infinity], "high": [Infinity, Infinity]})";
  meta["action_space"] = R"({"type": "Box", "dtype": "float32", "shape": [1], "low": [-1.0], "high": [1.0]})";
  meta["dataset_id"] = "toy/foreign-v0";
  meta["minari_version"] = "0.5.3";
  std::ofstream(dir + "/data/metadata.json") << meta.dump();

  const auto s = read_minari(dir);
  REQUIRE(s->closed() == 5);
  const auto rows = s->rows_by_episode();
  const auto x = [&](const uint8_t* p) { return reinterpret_cast<const float*>(p)[0]; };
  CHECK(x(s->obs(rows[0])) == 0.0f);
  CHECK(x(s->next_obs(rows[2])) == 3.0f);  // the episode's T+1-th observation
  CHECK(s->terminated(rows[2]));
  CHECK(x(s->obs(rows[3])) == 10.0f);
  CHECK(s->truncated(rows[4]));
  CHECK(s->reward(rows[4]) == 2.0f);
  CHECK(std::isinf(s->observation_space().low()[0]));
  CHECK(summarize(*s).episodes == 2);

  // Bad directories and files.
  meta["total_steps"] = 7;
  std::ofstream(dir + "/data/metadata.json") << meta.dump();
  CHECK_THROWS_WITH(read_minari(dir), Catch::Contains("5 steps but metadata.json says 7"));
  meta.erase("data_format");
  std::ofstream(dir + "/data/metadata.json") << meta.dump();
  CHECK_THROWS_WITH(read_minari(dir), Catch::Contains("'data_format' missing"));
  CHECK_THROWS_WITH(read_minari(temp_path("nowhere")), Catch::Contains("not a Minari dataset"));
  fs::remove_all(dir);
}
