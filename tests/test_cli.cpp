// End-to-end: the rlarena binary's commands, outputs and error handling.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_helpers.h"

using namespace cli_test;

TEST_CASE("rlarena --help, --version and per-command help", "[cli]") {
  const Run help = run_rlarena("--help");
  CHECK(help.code == 0);
  CHECK_THAT(help.out, Catch::Contains("bench") && Catch::Contains("rollout") && Catch::Contains("envs"));
  const Run version = run_rlarena("--version");
  CHECK(version.code == 0);
  CHECK_THAT(version.out, Catch::StartsWith("rlarena 0."));
  const Run bench_help = run_rlarena("bench --help");
  CHECK(bench_help.code == 0);
  for (const char* opt : {"--num-envs", "--threads", "--seconds", "--async", "--batch-size", "--json", "--kwarg"})
    CHECK_THAT(bench_help.out, Catch::Contains(opt));
  const Run rollout_help = run_rlarena("rollout --help");
  for (const char* opt : {"--seed", "--state", "--actions", "--policy", "--steps", "--out"})
    CHECK_THAT(rollout_help.out, Catch::Contains(opt));
}

TEST_CASE("The build stamps the commit it was built from, -dirty with uncommitted changes", "[cli]") {
  // common/git_commit.cmake, run as the build runs it, in a repository of its own.
  if (run_shell("git --version").code != 0) {
    WARN("no git on this machine: the stamp is 'unknown' and is not checked");
    return;
  }
  const std::string repo = temp_path("stamp_repo"), out = repo + "/stamp.cpp";
  std::filesystem::remove_all(repo);
  std::filesystem::create_directories(repo);
  const std::string git = "git -C " + repo + " -c user.name=t -c user.email=t@t ";
  std::ofstream(repo + "/a.txt") << "one\n";
  REQUIRE(run_shell(git + "init -q && " + git + "add a.txt && " + git + "commit -q -m one").code == 0);
  const std::string head = split(run_shell(git + "rev-parse --short HEAD").out, '\n')[0];
  const std::string stamp = std::string(CMAKE_COMMAND) + " -DSOURCE_DIR=" + repo + " -DOUT=" + out + " -P " +
                            RLARENA_SOURCE_DIR + "/common/git_commit.cmake";
  REQUIRE(run_shell(stamp).code == 0);
  CHECK_THAT(slurp(out), Catch::Contains("return \"" + head + "\";"));
  // The same commit again: the file is not rewritten, so nothing recompiles.
  const auto written = std::filesystem::last_write_time(out);
  std::filesystem::last_write_time(out, written - std::chrono::hours(1));
  REQUIRE(run_shell(stamp).code == 0);
  CHECK(std::filesystem::last_write_time(out) == written - std::chrono::hours(1));
  // A change not yet committed, then a new commit.
  std::ofstream(repo + "/a.txt") << "two\n";
  REQUIRE(run_shell(stamp).code == 0);
  CHECK_THAT(slurp(out), Catch::Contains("return \"" + head + "-dirty\";"));
  REQUIRE(run_shell(git + "commit -q -a -m two").code == 0);
  const std::string next = split(run_shell(git + "rev-parse --short HEAD").out, '\n')[0];
  CHECK(next != head);
  REQUIRE(run_shell(stamp).code == 0);
  CHECK_THAT(slurp(out), Catch::Contains("return \"" + next + "\";"));
  // Outside a git checkout (a source tarball).
  std::filesystem::remove_all(repo + "/.git");
  REQUIRE(run_shell(stamp).code == 0);
  CHECK_THAT(slurp(out), Catch::Contains("return \"unknown\";"));
  std::filesystem::remove_all(repo);
}

TEST_CASE("rlarena envs --json lists every env with spaces and limits", "[cli]") {
  const Run r = run_rlarena("envs --json");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& e : j) by_id[e["id"]] = e;
  REQUIRE(by_id.count("CartPole-v1"));
  CHECK(by_id["CartPole-v1"]["max_episode_steps"] == 500);
  CHECK(by_id["CartPole-v1"]["action_space"] == "Discrete(2)");
  CHECK(by_id["Pendulum-v1"]["action_space"] == "Box(-2, 2, (1,), float32)");
  CHECK(by_id["MountainCarContinuous-v0"]["max_episode_steps"] == 999);
  CHECK(by_id["Acrobot-v1"]["state"] == nlohmann::json({"theta1", "theta2", "dtheta1", "dtheta2"}));
  // Every env's options, with defaults (an id that sets an option has it as default).
  std::map<std::string, std::string> hopper;
  for (const auto& o : by_id["Hopper-v5"]["kwargs"]) hopper[o["name"]] = o["default"];
  CHECK(hopper["healthy_z_range"] == "0.7,inf");
  CHECK(hopper["frame_skip"] == "4");
  CHECK(hopper["max_episode_steps"] == "1000");
  std::map<std::string, std::string> hardcore;
  for (const auto& o : by_id["BipedalWalkerHardcore-v3"]["kwargs"]) hardcore[o["name"]] = o["default"];
  CHECK(hardcore["hardcore"] == "true");
  // The table keeps its columns apart however long a space's text is.
  const Run table = run_rlarena("envs");
  CHECK_THAT(table.out, Catch::Contains("MountainCar-v0"));
  for (const auto& line : split(table.out, '\n')) {
    if (line.rfind("CarRacing-v3", 0) != 0) continue;
    CHECK_THAT(line, Catch::Contains("Box([-1 0 0], 1, (3,), float32)  Box(0, 255"));
  }
}

TEST_CASE("rlarena envs ID shows an env's options, --check runs the conformance checks", "[cli]") {
  const Run one = run_rlarena("envs Pendulum-v1");
  REQUIRE(one.code == 0);
  CHECK_THAT(one.out, Catch::Contains("max_episode_steps") && Catch::Contains("200") &&
                          Catch::Contains("gravity (m/s^2)"));
  const auto line = split(one.out, '\n');
  CHECK(std::any_of(line.begin(), line.end(), [](const std::string& l) {
    return l.find("  g ") != std::string::npos && l.find(" 10 ") != std::string::npos;
  }));
  const Run check = run_rlarena("envs --check LunarLander-v3");
  CHECK(check.code == 0);
  CHECK_THAT(check.out, Catch::Contains("LunarLander-v3: 8 of 8 checks passed"));
  // A user's own MuJoCo model is checked through xml_file.
  const std::string model = temp_path("my_hopper.xml");
  std::filesystem::copy_file(std::string(RLARENA_SOURCE_DIR) + "/envs/mujoco/assets/hopper.xml", model,
                             std::filesystem::copy_options::overwrite_existing);
  const Run mine = run_rlarena("envs --check Hopper-v5 --kwarg xml_file=" + model + " --json");
  REQUIRE(mine.code == 0);
  const auto checks = nlohmann::json::parse(mine.out);
  CHECK(checks.size() == 8);
  for (const auto& c : checks) CHECK(c["passed"] == true);
  std::ofstream(model) << "<mujoco><worldbody><body>";
  const Run broken = run_rlarena("envs --check Hopper-v5 --kwarg xml_file=" + model);
  CHECK(broken.code == 2);
  CHECK_THAT(broken.err, Catch::Contains(model));
  std::remove(model.c_str());
  CHECK_THAT(run_rlarena("envs --check Hoper-v5").err, Catch::Contains("Hopper-v5"));
}

TEST_CASE("rlarena bench --json prints one object with steps per second", "[cli]") {
  const Run r = run_rlarena("bench CartPole-v1 --num-envs 8 --seconds 0.2 --json");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["env"] == "CartPole-v1");
  CHECK(j["steps_per_s"].get<double>() > 1e5);
  CHECK(j["num_envs"] == 8);
  const Run a = run_rlarena("bench Pendulum-v1 --num-envs 8 --threads 2 --async --batch-size 4 --seconds 0.2 --json");
  REQUIRE(a.code == 0);
  const auto ja = nlohmann::json::parse(a.out);
  CHECK(ja["mode"] == "async");
  CHECK(ja["batch_size"] == 4);
  CHECK(ja["steps_per_s"].get<double>() > 1e5);
}

TEST_CASE("rlarena bench compares thread counts and the raw physics engine in one run", "[cli][mujoco]") {
  const Run r = run_rlarena("bench Hopper-v5 --num-envs 4 --threads 1,2 --seconds 0.3 --raw-physics --json");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["threads"] == 1);
  REQUIRE(j["scaling"].size() == 1);
  CHECK(j["scaling"][0]["threads"] == 2);
  CHECK(j["scaling"][0]["ratio"].get<double>() ==
        Approx(j["scaling"][0]["steps_per_s"].get<double>() / j["steps_per_s"].get<double>()));
  CHECK(j["raw_engine"] == "mj_step");
  CHECK(j["frame_skip"] == 4);
  CHECK(j["raw_steps_per_s"].get<double>() > 1000);
  CHECK(j["raw_ratio"].get<double>() ==
        Approx(j["steps_per_s"].get<double>() * 4 / j["raw_steps_per_s"].get<double>()));
  // Text output names the ratio.
  const Run t = run_rlarena("bench HalfCheetah-v5 --num-envs 2 --seconds 0.2 --raw-physics");
  REQUIRE(t.code == 0);
  CHECK_THAT(t.out, Catch::Contains("frame_skip(5) / raw ="));
}

TEST_CASE("rlarena dataset collects, describes, validates and converts datasets", "[cli][dataset]") {
  const std::string file = temp_path("collected.hdf5"), dir = temp_path("minari_cli"), back = temp_path("back.hdf5");
  const Run c =
      run_rlarena("dataset collect Pendulum-v1 --steps 1000 --num-envs 4 --seed 3 --flush-every 200 --out " + file);
  REQUIRE(c.code == 0);
  // 1000 steps is a minimum: whole 200-step episodes only, so two per env.
  CHECK_THAT(c.out, Catch::Contains("stored 1600 steps, 8 whole episodes") && Catch::Contains("--steps is a minimum"));
  const Run info = run_rlarena("dataset info " + file + " --json");
  REQUIRE(info.code == 0);
  const auto j = nlohmann::json::parse(info.out);
  CHECK(j["layout"] == "d4rl");
  CHECK(j["steps"] == 1600);
  CHECK(j["episodes"] == 8);
  CHECK(j["keys"]["observations"] == "[1600, 3] float32");
  CHECK(j["keys"]["terminals"] == "[1600] bool");
  // --keep-partial stops at 1000 and keeps the 50-step tails (as truncated episodes).
  const std::string partial = temp_path("partial.hdf5");
  const Run p = run_rlarena("dataset collect Pendulum-v1 --steps 1000 --num-envs 4 --seed 3 --keep-partial --out " + partial);
  REQUIRE(p.code == 0);
  CHECK_THAT(p.out, Catch::Contains("stored 1000 steps, 8 episodes") && Catch::Contains("cut short as truncated"));
  std::remove(partial.c_str());
  CHECK(j["metadata"]["env_id"] == "Pendulum-v1");
  CHECK(j["metadata"]["policy"] == "random");
  CHECK(j["metadata"]["seed"] == "3");
  CHECK(j["metadata"].contains("git_commit"));
  CHECK(run_rlarena("dataset validate " + file).code == 0);
  REQUIRE(run_rlarena("dataset convert " + file + " --to minari --out " + dir).code == 0);
  const auto m = nlohmann::json::parse(run_rlarena("dataset info " + dir + " --json").out);
  CHECK(m["layout"] == "minari");
  CHECK(m["steps"] == 1600);
  CHECK(m["return"]["mean"].get<double>() == Approx(j["return"]["mean"].get<double>()));
  REQUIRE(run_rlarena("dataset convert " + dir + " --to d4rl --out " + back).code == 0);
  CHECK(nlohmann::json::parse(run_rlarena("dataset info " + back + " --json").out)["episodes"] == 8);
  // merge: both datasets' steps and episodes in one file, with the given metadata; other envs refused.
  const std::string merged = temp_path("merged.hdf5"), other = temp_path("cart_for_merge.hdf5");
  REQUIRE(run_rlarena("dataset merge " + file + " " + back + " --out " + merged + " --metadata ref_min_score=-5").code == 0);
  const auto mj = nlohmann::json::parse(run_rlarena("dataset info " + merged + " --json").out);
  CHECK(mj["steps"] == 3200);
  CHECK(mj["episodes"] == 16);
  CHECK(mj["metadata"]["ref_min_score"] == "-5");
  CHECK(mj["metadata"]["merged_from"] == file + "," + back);
  REQUIRE(run_rlarena("dataset collect CartPole-v1 --steps 50 --out " + other).code == 0);
  const Run mixed = run_rlarena("dataset merge " + file + " " + other + " --out " + temp_path("mixed.hdf5"));
  CHECK(mixed.code == 2);
  CHECK_THAT(mixed.err, Catch::Contains("merge datasets of one env"));
  std::remove(merged.c_str()), std::remove(other.c_str());
  // Mistakes: one line, exit 2.
  const Run again = run_rlarena("dataset collect Pendulum-v1 --steps 10 --out " + file);
  CHECK(again.code == 2);
  CHECK_THAT(again.err, Catch::Contains("never overwrites"));
  const Run bad = run_rlarena("dataset validate " + temp_path("nothing.hdf5"));
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("not an existing file"));
  CHECK_THAT(run_rlarena("dataset convert " + file + " --to csv --out x").err, Catch::Contains("--to d4rl"));
  CHECK_THAT(run_rlarena("dataset collect Pendulum-v1 --steps 10 --policy heuristic --out " + back).err,
             Catch::Contains("--policy random"));
  std::remove(file.c_str());
  std::remove(back.c_str());
  std::filesystem::remove_all(dir);
}

TEST_CASE("Minari datasets live in the Minari root under ids of Minari's form", "[cli][dataset][minari]") {
  const std::string root = temp_path("minari_root"), file = temp_path("cart.hdf5");
  std::filesystem::remove_all(root);
  const std::string in_root = "MINARI_DATASETS_PATH=" + root + " ";
  auto rl = [&](const std::string& args) { return run_shell(in_root + RLARENA_BIN + " " + args); };
  REQUIRE(run_rlarena("dataset collect CartPole-v1 --steps 300 --num-envs 2 --out " + file).code == 0);
  CHECK_THAT(rl("dataset list").out, Catch::Contains("none"));
  const Run c = rl("dataset convert " + file + " --to minari --id cartpole/random-v0 --author 'Ada L' "
                   "--author-email ada@example.org --description 'Uniform random actions' "
                   "--metadata ref_min_score=20 --metadata ref_max_score=500");
  REQUIRE(c.code == 0);
  CHECK_THAT(c.out, Catch::Contains("id cartpole/random-v0"));
  const std::string dir = root + "/cartpole/random-v0";
  REQUIRE(std::filesystem::exists(dir + "/data/metadata.json"));
  const auto meta = nlohmann::json::parse(slurp(dir + "/data/metadata.json"));
  CHECK(meta["dataset_id"] == "cartpole/random-v0");
  CHECK(meta["algorithm_name"] == "random");
  CHECK(meta["author"] == nlohmann::json::array({"Ada L"}));
  CHECK(meta["author_email"] == nlohmann::json::array({"ada@example.org"}));
  CHECK_THAT(meta["code_permalink"].get<std::string>(), Catch::Contains("rlarena"));
  const auto spec = nlohmann::json::parse(meta["env_spec"].get<std::string>());
  CHECK(spec["id"] == "CartPole-v1");
  CHECK(spec["entry_point"] == "gymnasium.envs.classic_control.cartpole:CartPoleEnv");
  // Every dataset command takes the id.
  const Run list = rl("dataset list");
  CHECK_THAT(list.out, Catch::Contains("cartpole/random-v0") && Catch::Contains("Ada L"));
  CHECK(nlohmann::json::parse(rl("dataset list --json").out)[0]["dataset_id"] == "cartpole/random-v0");
  const Run show = rl("dataset show cartpole/random-v0");
  REQUIRE(show.code == 0);
  CHECK_THAT(show.out, Catch::Contains("Uniform random actions") && Catch::Contains("ada@example.org") &&
                           Catch::Contains("gymnasium.envs.classic_control.cartpole:CartPoleEnv"));
  const auto info = nlohmann::json::parse(rl("dataset info cartpole/random-v0 --json").out);
  CHECK(info["layout"] == "minari");
  CHECK(info["metadata"]["ref_min_score"] == "20.0");  // read back for normalized scores
  CHECK(meta["ref_max_score"] == 500.0);
  CHECK(info["steps"] == nlohmann::json::parse(run_rlarena("dataset info " + file + " --json").out)["steps"]);
  CHECK(rl("dataset validate cartpole/random-v0").code == 0);
  // The default id: <env>/<out name>-v0, lower case.
  const std::string expert = temp_path("Expert");
  std::filesystem::remove_all(expert);
  REQUIRE(rl("dataset convert cartpole/random-v0 --to minari --out " + expert).code == 0);
  const std::string default_id = nlohmann::json::parse(slurp(expert + "/data/metadata.json"))["dataset_id"];
  CHECK_THAT(default_id, Catch::StartsWith("cartpole/rlarena_test_") && Catch::EndsWith("_expert-v0"));
  std::filesystem::remove_all(expert);
  // Mistakes: one line each, naming the root or the form.
  const Run missing = rl("dataset info cartpole/expert-v3");
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("not in the Minari root " + root) && Catch::Contains("dataset list"));
  CHECK_THAT(rl("dataset convert " + file + " --to minari --id CartPole").err, Catch::Contains("namespace/name-vN"));
  CHECK_THAT(rl("dataset convert " + file + " --to minari --id cartpole/random-v0").err,
             Catch::Contains("exists") && Catch::Contains("never overwrites"));
  std::filesystem::remove_all(root);
  std::remove(file.c_str());
}

TEST_CASE("rlarena render writes a PNG frame and videos a decoder reads back", "[cli][render]") {
  const std::string png = temp_path("frame.png"), mp4 = temp_path("episodes.mp4"), gif = temp_path("lander.gif");
  REQUIRE(run_rlarena("render CartPole-v1 --seed 1 --out " + png).code == 0);
  {
    std::ifstream in(png, std::ios::binary);
    unsigned char header[24];
    in.read(reinterpret_cast<char*>(header), 24);
    CHECK(std::string(reinterpret_cast<char*>(header) + 1, 3) == "PNG");
    const auto be32 = [&](int at) {
      return header[at] << 24 | header[at + 1] << 16 | header[at + 2] << 8 | header[at + 3];
    };
    CHECK(be32(16) == 600);  // IHDR width
    CHECK(be32(20) == 400);  // IHDR height
  }
  const Run v = run_rlarena("render CartPole-v1 --episodes 3 --seed 2 --out " + mp4);
  REQUIRE(v.code == 0);
  // The decoder counts the frames the command says it wrote.
  const std::string frames = v.out.substr(v.out.find(": ") + 2, v.out.find(" frames") - v.out.find(": ") - 2);
  const Run probe = run_shell("ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames "
                              "-of csv=p=0 " + mp4);
  CHECK(probe.out.substr(0, probe.out.find('\n')) == frames);
  CHECK(std::stoi(frames) > 3);
  const Run lander = run_rlarena("render LunarLander-v3 --policy heuristic --seed 0 --max-steps 40 --out " + gif);
  REQUIRE(lander.code == 0);
  CHECK_THAT(lander.out, Catch::Contains("41 frames"));
  CHECK_THAT(run_rlarena("render CartPole-v1 --policy heuristic --out " + gif).err,
             Catch::Contains("no scripted controller"));
  CHECK_THAT(run_rlarena("render CartPole-v1 --out x.avi").err, Catch::Contains(".mp4 or .gif"));
  for (const auto& p : {png, mp4, gif}) std::remove(p.c_str());
}

TEST_CASE("rlarena train runs a recipe into a run directory, keys override and are checked", "[cli][train]") {
  const std::string recipe = std::string(RLARENA_SOURCE_DIR) + "/recipes/ppo-cartpole.cfg";
  const std::string dir = temp_path("run");
  const Run r = run_rlarena("train " + recipe + " --total_steps 4096 --seed 3 --run-dir " + dir);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("4096 steps of CartPole-v1"));
  // The resolved config holds the overrides; metrics.csv has one row per update.
  const std::string config = slurp(dir + "/config.cfg");
  CHECK_THAT(config, Catch::Contains("total_steps = 4096") && Catch::Contains("seed = 3") &&
                         Catch::Contains("learning_rate = 0.002"));
  const auto rows = split(slurp(dir + "/metrics.csv"), '\n');
  REQUIRE(rows.size() == 1 + 4);  // header + 4096 / (32 * 32) updates
  CHECK(rows[0].rfind("global_step,wall_s,episodic_return,episodic_length", 0) == 0);
  CHECK(rows[4].rfind("4096,", 0) == 0);
  // --print-config shows every key with its value.
  const Run p = run_rlarena("train " + recipe + " --print-config --gamma 0.9");
  CHECK(p.code == 0);
  CHECK_THAT(p.out, Catch::Contains("gamma = 0.9") && Catch::Contains("num_envs = 32") && Catch::Contains("ent_coef"));
  // Mistakes: one line naming the key, exit 2.
  const std::string bad = temp_path("bad.cfg");
  std::ofstream(bad) << "algo = ppo\nlerning_rate = 0.1\n";
  const Run unknown = run_rlarena("train " + bad);
  CHECK(unknown.code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown recipe key 'lerning_rate'") && Catch::Contains("learning_rate"));
  CHECK(lines(unknown.err) == 1);
  const Run value = run_rlarena("train " + recipe + " --num_envs many");
  CHECK(value.code == 2);
  CHECK_THAT(value.err, Catch::Contains("num_envs"));
  CHECK_THAT(run_rlarena("train " + recipe + " --total_steps 10").err, Catch::Contains("less than one update"));
  CHECK_THAT(run_rlarena("train " + recipe + " --hidden 64,x").err,
             Catch::Contains("hidden = 64,x") && Catch::Contains("64,64"));
  CHECK_THAT(run_rlarena("train " + recipe + " --run-dir /proc/forbidden/run").err, Catch::Contains("--run-dir"));
  CHECK_THAT(run_rlarena("train " + recipe + " --algo ppo3").err, Catch::Contains("give one of ppo, a2c, dqn, sac, td3"));
  CHECK_THAT(run_rlarena("train --resume " + temp_path("nowhere")).err, Catch::Contains("give a run directory"));
  // The run's other files: per-episode log, checkpoint, evaluation, curve.
  CHECK(split(slurp(dir + "/episodes.csv"), '\n')[0] == "global_step,wall_s,return,length");
  CHECK(std::filesystem::exists(dir + "/checkpoints/latest.h5"));
  const auto eval = nlohmann::json::parse(slurp(dir + "/eval.json"));
  CHECK(eval["episodes"] == 10);
  CHECK(eval["returns"].size() == 10);
  CHECK(slurp(dir + "/curve.png").rfind("\x89PNG", 0) == 0);
  // The run's directory is not given to another run unless asked.
  const Run again = run_rlarena("train " + recipe + " --total_steps 2048 --run-dir " + dir);
  CHECK(again.code == 2);
  CHECK_THAT(again.err, Catch::Contains("already holds a run") && Catch::Contains("--overwrite"));
  CHECK(slurp(dir + "/config.cfg") == config);
  std::ofstream(dir + "/checkpoints/step_999999.h5") << "an older run's checkpoint";
  std::ofstream(dir + "/notes.txt") << "the user's own file";
  REQUIRE(run_rlarena("train " + recipe + " --total_steps 2048 --run-dir " + dir + " --overwrite").code == 0);
  CHECK(!std::filesystem::exists(dir + "/checkpoints/step_999999.h5"));
  CHECK(std::filesystem::exists(dir + "/notes.txt"));
  CHECK_THAT(slurp(dir + "/config.cfg"), Catch::Contains("total_steps = 2048"));
  CHECK_THAT(run_rlarena("train --resume " + dir + " --save-buffer").err, Catch::Contains("started without it"));
  std::remove(bad.c_str());
  std::filesystem::remove_all(dir);
}


TEST_CASE("train takes --key-with-dashes, CleanRL's names and suggests close keys", "[cli][train]") {
  const std::string dir = temp_path("dashes");
  std::filesystem::remove_all(dir);
  const Run r = run_rlarena("train --algo ppo --env-id CartPole-v1 --total-timesteps 2048 --num-minibatches 2 "
                        "--update-epochs 3 --learning-rate=0.001 --norm-adv --eval-episodes 0 --run-dir " + dir);
  REQUIRE(r.code == 0);
  const std::string config = slurp(dir + "/config.cfg");
  CHECK_THAT(config, Catch::Contains("env = CartPole-v1") && Catch::Contains("total_steps = 2048") &&
                         Catch::Contains("minibatches = 2") && Catch::Contains("epochs = 3") &&
                         Catch::Contains("learning_rate = 0.001") && Catch::Contains("norm_adv = true"));
  // config.cfg says what made the run: version, commit and the command line; a resume adds its own.
  CHECK_THAT(config, Catch::Contains("# rlarena 0.1.0, git commit ") &&
                         Catch::Contains("# command: rlarena train --algo ppo --env-id CartPole-v1"));
  REQUIRE(run_rlarena("train --resume " + dir + " --total_steps 3072").code == 0);
  const std::string resumed = slurp(dir + "/config.cfg");
  CHECK_THAT(resumed, Catch::Contains("# command: rlarena train --algo ppo --env-id CartPole-v1") &&
                          Catch::Contains("# resumed: rlarena train --resume " + dir + " --total_steps 3072"));
  std::filesystem::remove_all(dir);
  // An unknown key names the closest ones, not every key; abbreviations are not guessed.
  const Run typo = run_rlarena("train --algo ppo --learning_rat 0.1");
  CHECK(typo.code == 2);
  CHECK_THAT(typo.err, Catch::Contains("unknown option --learning_rat; did you mean --learning_rate"));
  CHECK_THAT(typo.err, !Catch::Contains("ent_coef"));
  CHECK_THAT(run_rlarena("train --algo ppo --rundir x").err, Catch::Contains("--run-dir"));
  // --algo and --env without a recipe use the built-in recipe for the pair, and say so.
  const Run pair = run_rlarena("train --algo sac --env HalfCheetah-v5 --print-config");
  REQUIRE(pair.code == 0);
  CHECK_THAT(pair.err, Catch::Contains("recipes/sac-halfcheetah.cfg, the recipe for sac on HalfCheetah-v5"));
  CHECK_THAT(pair.out, Catch::Contains("total_steps = 1000000"));
  const Run none = run_rlarena("train --algo td3 --env Pendulum-v1 --print-config");
  CHECK(none.err.empty());
}

TEST_CASE("Ctrl-C saves a checkpoint, --resume finishes the run exactly as if uninterrupted", "[cli][train]") {
  const std::string recipe = std::string(RLARENA_SOURCE_DIR) + "/recipes/ppo-cartpole.cfg";
  const std::string a = temp_path("straight"), b = temp_path("interrupted");
  const std::string keys = " --total_steps 163840 --eval_every 40960 --eval_episodes 2 --checkpoint_every 40960";
  REQUIRE(run_rlarena("train " + recipe + keys + " --run-dir " + a).code == 0);
  // The same run, sent SIGINT once it has logged two updates (its handler is in place by then).
  const Run stopped = run_shell("{ " + std::string(RLARENA_BIN) + " train " + recipe + keys + " --run-dir " + b +
                                " & pid=$!; "
                                "while [ \"$(cat " +
                                b +
                                "/metrics.csv 2>/dev/null | wc -l)\" -lt 3 ]; do sleep 0.05; done; "
                                "kill -INT $pid; wait $pid; }");
  REQUIRE(stopped.code == 130);
  CHECK_THAT(stopped.out, Catch::Contains("interrupted at step") && Catch::Contains("--resume " + b));
  const auto partial = csv_without(b + "/metrics.csv", {"wall_s", "sps"});
  CHECK(partial.size() < csv_without(a + "/metrics.csv", {"wall_s", "sps"}).size());
  const Run resumed = run_rlarena("train --resume " + b);
  REQUIRE(resumed.code == 0);
  CHECK(csv_without(b + "/metrics.csv", {"wall_s", "sps"}) == csv_without(a + "/metrics.csv", {"wall_s", "sps"}));
  const auto evals = csv_without(b + "/evals.csv", {"wall_s"});
  CHECK(evals.size() == 5);  // the header and evaluations at 40960, 81920, 122880 and 163840
  CHECK(evals == csv_without(a + "/evals.csv", {"wall_s"}));
  CHECK(slurp(b + "/episodes.csv").size() > 0);

  // The trained policy evaluates and collects a dataset.
  const Run ev = run_rlarena("eval " + b + " --episodes 4 --json");
  REQUIRE(ev.code == 0);
  const auto j = nlohmann::json::parse(ev.out);
  CHECK(j["episodes"] == 4);
  CHECK(j["global_step"] == 163840);
  CHECK(j["mean"].get<double>() > 150);  // CartPole's random policy averages ~22
  const std::string data = temp_path("policy.hdf5");
  const Run collect = run_rlarena("dataset collect CartPole-v1 --policy " + b + " --steps 2000 --num-envs 4 --out " + data);
  REQUIRE(collect.code == 0);
  const auto info = nlohmann::json::parse(run_rlarena("dataset info --json " + data).out);
  CHECK(info["steps"] == 2000);
  CHECK(info["metadata"]["policy"] == b);
  CHECK(info["return"]["mean"].get<double>() > 150);
  // Watch it: one episode rendered from the run (its env is the default) has a frame
  // after the reset and one after each step, and eval with the same seed gets the
  // same return.
  const std::string video = temp_path("watch.mp4");
  const Run watch = run_rlarena("render --policy " + b + " --seed 42 --out " + video);
  REQUIRE(watch.code == 0);
  const auto returns_at = watch.out.find("returns: ");
  REQUIRE(returns_at != std::string::npos);
  std::istringstream said(watch.out.substr(returns_at + 9));
  double rendered_return = 0;
  std::string in;
  int64_t rendered_length = 0;
  said >> rendered_return >> in >> rendered_length;
  CHECK(rendered_length > 100);
  const Run frames = run_shell("ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames "
                               "-of csv=p=0 " + video);
  REQUIRE(frames.code == 0);
  CHECK(std::stoll(frames.out) == rendered_length + 1);
  const auto one = nlohmann::json::parse(run_rlarena("eval " + b + " --episodes 1 --seed 42 --json").out);
  CHECK(one["returns"][0].get<double>() == rendered_return);
  CHECK(one["lengths"][0].get<int64_t>() == rendered_length);
  // The same episode as CSV, one row per step.
  const Run csv = run_rlarena("rollout --policy " + b + " --seed 42 --out -");
  REQUIRE(csv.code == 0);
  CHECK(lines(csv.out) == rendered_length + 1);
  CHECK_THAT(run_rlarena("render Pendulum-v1 --policy " + b + " --out " + video).err,
             Catch::Contains("Pendulum-v1 has observations") && Catch::Contains("trained on CartPole-v1"));
  CHECK_THAT(run_rlarena("render --out " + video).err, Catch::Contains("give an env id"));
  // Learning curves of both runs in one picture.
  const std::string png = temp_path("curves.png");
  CHECK(run_rlarena("plot " + a + " " + b + " --out " + png).code == 0);
  CHECK(slurp(png).rfind("\x89PNG", 0) == 0);
  CHECK_THAT(run_rlarena("plot " + a + " --out " + temp_path("x.jpg")).err, Catch::Contains(".png or .svg"));
  CHECK_THAT(run_rlarena("eval " + temp_path("nothing")).err, Catch::Contains("not an existing file"));
  for (const auto& p : {a, b, data, png, video}) std::filesystem::remove_all(p);
}

TEST_CASE("plot labels its band and axis, counts distinct seeds and plots any metric", "[cli][plot]") {
  const std::string recipe = std::string(RLARENA_SOURCE_DIR) + "/recipes/ppo-cartpole.cfg";
  std::vector<std::string> runs;
  for (const auto& [name, seed] : {std::pair{"s1a", 1}, {"s1b", 1}, {"s2", 2}}) {
    runs.push_back(temp_path(std::string("plot_") + name));
    std::filesystem::remove_all(runs.back());
    REQUIRE(run_rlarena("train " + recipe + " --total_steps 3072 --eval_every 1024 --eval_episodes 2 --seed " +
                    std::to_string(seed) + " --run-dir " + runs.back())
                .code == 0);
  }
  const std::string svg = temp_path("curves.svg");
  REQUIRE(run_rlarena("plot " + runs[0] + " " + runs[1] + " " + runs[2] + " --out " + svg).code == 0);
  const std::string drawn = slurp(svg);
  CHECK_THAT(drawn, Catch::Contains("mean return, last 20 episodes"));
  CHECK_THAT(drawn, Catch::Contains("ppo CartPole-v1 (mean of 3 runs, 2 seeds)"));
  CHECK_THAT(drawn, Catch::Contains("min-max over 3 runs"));
  REQUIRE(run_rlarena("plot " + runs[0] + " " + runs[2] + " --out " + svg).code == 0);
  CHECK_THAT(slurp(svg), Catch::Contains("(mean of 2 seeds)") && Catch::Contains("min-max over 2 seeds"));
  // Any column of metrics.csv or evals.csv.
  REQUIRE(run_rlarena("plot " + runs[0] + " --metric value_loss --out " + svg).code == 0);
  CHECK_THAT(slurp(svg), Catch::Contains("value_loss (metrics.csv)"));
  REQUIRE(run_rlarena("plot " + runs[0] + " " + runs[2] + " --metric iqm --out " + svg).code == 0);
  CHECK_THAT(slurp(svg), Catch::Contains("iqm (evals.csv)"));
  const Run unknown = run_rlarena("plot " + runs[0] + " --metric valueloss --out " + svg);
  CHECK(unknown.code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("did you mean value_loss"));
  for (const auto& r : runs) std::filesystem::remove_all(r);
  std::remove(svg.c_str());
}

TEST_CASE("Offline training: BC learns CartPole from a PPO dataset in seconds, scores are normalized",
          "[cli][offline][long]") {
  const std::string ppo = temp_path("off_ppo"), data = temp_path("off_cart.hdf5"), bc = temp_path("off_bc");
  for (const auto& p : {ppo, data, bc}) std::filesystem::remove_all(p);
  const std::string recipe = std::string(RLARENA_SOURCE_DIR) + "/recipes/ppo-cartpole.cfg";
  REQUIRE(run_rlarena("train " + recipe + " --eval-episodes 0 --run-dir " + ppo).code == 0);
  REQUIRE(run_rlarena("dataset collect CartPole-v1 --policy " + ppo + " --steps 10000 --out " + data).code == 0);
  const std::string recipes = std::string(RLARENA_SOURCE_DIR) + "/recipes/";
  const Run r = run_rlarena("train " + recipes + "bc-cartpole.cfg --dataset " + data + " --run-dir " + bc);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("2000 steps of CartPole-v1"));
  const auto eval = nlohmann::json::parse(slurp(bc + "/eval.json"));
  CHECK(eval["mean"].get<double>() >= 475);
  CHECK_FALSE(eval.contains("normalized_score"));  // no references for CartPole
  const std::string dcql = temp_path("off_dcql");
  std::filesystem::remove_all(dcql);
  REQUIRE(run_rlarena("train " + recipes + "discrete_cql-cartpole.cfg --dataset " + data + " --run-dir " + dcql).code == 0);
  CHECK(nlohmann::json::parse(slurp(dcql + "/eval.json"))["mean"].get<double>() >= 475);
  std::filesystem::remove_all(dcql);
  // total_steps counts gradient steps: metrics.csv has a gradient_step column.
  const auto rows = split(slurp(bc + "/metrics.csv"), '\n');
  CHECK(rows[0] == "global_step,wall_s,episodic_return,episodic_length,episodes,gradient_step,phase,bc_loss,sps");
  CHECK(rows.back().rfind("2000,", 0) == 0);
  // Hopper: D4RL's references give evals.csv a normalized column, and eval prints it.
  const std::string hop = temp_path("off_hopper.hdf5"), td3bc = temp_path("off_td3bc");
  std::filesystem::remove_all(hop), std::filesystem::remove_all(td3bc);
  REQUIRE(run_rlarena("dataset collect Hopper-v5 --steps 2000 --num-envs 2 --out " + hop).code == 0);
  REQUIRE(run_rlarena("train --algo td3_bc --env Hopper-v5 --dataset " + hop + " --total-steps 200 --batch-size 64 "
                  "--log-every 100 --eval-episodes 2 --run-dir " + td3bc)
              .code == 0);
  const auto evals = split(slurp(td3bc + "/evals.csv"), '\n');
  REQUIRE(evals.size() == 2);
  CHECK(evals[0] == "global_step,wall_s,episodes,mean,std,iqm,ci_low,ci_high,normalized");
  const auto cells = split(evals[1], ',');
  CHECK(std::stod(cells[8]) == Approx(100 * (std::stod(cells[3]) + 20.272305) / (3234.3 + 20.272305)).epsilon(1e-6));
  const Run e = run_rlarena("eval " + td3bc + " --episodes 2");
  CHECK_THAT(e.out, Catch::Contains("normalized score"));
  // An offline run has no training episodes: its curve is the evaluation return against gradient steps.
  CHECK(std::filesystem::exists(td3bc + "/curve.png"));
  const std::string svg = temp_path("off_curve.svg");
  REQUIRE(run_rlarena("plot " + td3bc + " --out " + svg).code == 0);
  CHECK_THAT(slurp(svg), Catch::Contains("gradient steps") && Catch::Contains("evaluation return"));
  std::remove(svg.c_str());
  // A dataset of another env: one line naming both shapes.
  const Run wrong = run_rlarena("train --algo iql --env Walker2d-v5 --dataset " + hop + " --run-dir " + temp_path("off_x"));
  CHECK(wrong.code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("observations (11,) float32") && Catch::Contains("Walker2d-v5 has observations (17,)"));
  for (const auto& p : {ppo, data, bc, hop, td3bc}) std::filesystem::remove_all(p);
}

TEST_CASE("dataset collect --policy heuristic uses the env's scripted controller", "[cli][dataset]") {
  const std::string data = temp_path("lander.hdf5");
  REQUIRE(run_rlarena("dataset collect LunarLander-v3 --policy heuristic --steps 3000 --num-envs 2 --out " + data).code ==
          0);
  const auto info = nlohmann::json::parse(run_rlarena("dataset info --json " + data).out);
  CHECK(info["return"]["mean"].get<double>() > 100);  // random landings average about -180
  CHECK_THAT(run_rlarena("dataset collect CartPole-v1 --policy heuristic --steps 10 --out " + temp_path("c.hdf5")).err,
             Catch::Contains("no heuristic policy"));
  std::remove(data.c_str());
}

TEST_CASE("rlarena rollout from a set state writes the trajectory CSV", "[cli]") {
  const std::string actions = temp_path("actions.txt"), csv = temp_path("out.csv");
  std::ofstream(actions) << "1\n0\n1\n";
  const Run r = run_rlarena("rollout CartPole-v1 --seed 0 --state 0,0,0,0 --actions " + actions +
                        " --steps 10 --out " + csv);
  REQUIRE(r.code == 0);
  const std::string text = slurp(csv);
  const auto rows = split(text, '\n');
  REQUIRE(rows.size() == 4);  // header + one row per action in the file
  CHECK(rows[0] == "step,action_0,obs_0,obs_1,obs_2,obs_3,reward,terminated,truncated");
  const auto first = split(rows[1], ',');
  CHECK(first[0] == "1");
  CHECK(first[1] == "1");
  CHECK(std::stod(first[2]) == 0.0);
  CHECK(std::stof(first[3]) == static_cast<float>(0.02 * 400.0 / 41.0));  // worked by hand
  CHECK(std::stof(first[5]) == static_cast<float>(-0.02 * 600.0 / 41.0));
  CHECK(first[6] == "1");
  CHECK(first[7] == "0");
  std::remove(actions.c_str());
  std::remove(csv.c_str());
}

TEST_CASE("rlarena rollout stops at the end of the episode", "[cli]") {
  const std::string csv = temp_path("end.csv");
  const Run r = run_rlarena("rollout CartPole-v1 --state 2.39,1,0,0 --policy random --steps 50 --out " + csv);
  REQUIRE(r.code == 0);
  const auto rows = split(slurp(csv), '\n');
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].substr(rows[1].size() - 4) == ",1,0");  // terminated, not truncated
  const Run p = run_rlarena("rollout Pendulum-v1 --seed 3 --out -");
  REQUIRE(p.code == 0);
  CHECK(lines(p.out) == 201);  // header + 200 steps, then the time limit
  CHECK_THAT(p.out, Catch::EndsWith(",0,1\n"));
  std::remove(csv.c_str());
}

TEST_CASE("user errors give one line naming the fix and exit 2", "[cli]") {
  const std::string bad_actions = temp_path("bad.txt");
  std::ofstream(bad_actions) << "1\nleft\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bench CartPol-v1 --seconds 0.1", "did you mean CartPole-v1"},
      {"bench CartPole-v1 --bogus 3", "bogus"},
      {"bench CartPole-v1 --num-envs lots", "num-envs"},
      {"bench CartPole-v1 --threads 1,x --seconds 0.1", "--threads 1,2"},
      {"bench CartPole-v1 --raw-physics --seconds 0.1", "no physics engine"},
      {"bench Hopper-v5 --kwarg healthy_z_range=high --seconds 0.1", "healthy_z_range=0.7,inf"},
      {"bench CartPole-v1 --kwarg nokey", "key=value"},
      {"bench CartPole-v1 --kwarg gravity=3 --seconds 0.1", "no option 'gravity'"},
      {"rollout CartPole-v1 --state 1,2 --out -", "give 4 (x,x_dot,theta,theta_dot)"},
      {"rollout CartPole-v1 --actions " + bad_actions + " --out -", "line 2"},
      {"rollout CartPole-v1 --actions /nonexistent/a.txt --out -", "/nonexistent/a.txt"},
      {"rollout CartPole-v1 --out /nonexistent/dir/x.csv", "/nonexistent/dir/x.csv"},
      {"rollout CartPole-v1", "--out"},
      {"frobnicate", "unknown command"},
  };
  for (const auto& [args, needle] : cases) {
    INFO("rlarena " << args);
    const Run r = run_rlarena(args);
    CHECK(r.code == 2);
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, Catch::Contains(needle));
  }
  // An action file with an out-of-range action fails on that step, naming it.
  std::ofstream(bad_actions) << "1\n3\n";
  const Run r = run_rlarena("rollout CartPole-v1 --actions " + bad_actions + " --out -");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("action 3"));
  std::remove(bad_actions.c_str());
}

TEST_CASE("train --save-buffer writes every transition of the run as a D4RL file", "[cli][train]") {
  for (const std::string recipe : {"ppo-cartpole.cfg --total_steps 2048",
                                   "dqn-cartpole.cfg --total_steps 1500 "
                                   "--learning_starts 500 --buffer_size 1000"}) {
    INFO(recipe);
    const std::string dir = temp_path("buffer_run");
    const Run r = run_rlarena("train " + std::string(RLARENA_SOURCE_DIR) + "/recipes/" + recipe +
                          " --eval_episodes 0 --save-buffer --run-dir " + dir);
    REQUIRE(r.code == 0);
    const auto info = nlohmann::json::parse(run_rlarena("dataset info --json " + dir + "/buffer.hdf5").out);
    CHECK(info["steps"] == (recipe.rfind("ppo", 0) == 0 ? 2048 : 1500));
    CHECK(info["metadata"]["env_id"] == "CartPole-v1");
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("rlarena tournament prints the ratings and writes its tables, mistakes are one line", "[cli][tournament]") {
  const std::string out = temp_path("tournament");
  std::filesystem::remove_all(out);
  const Run r = run_rlarena("tournament --env ConnectFour-v0 --players random greedy --games-per-pair 4 --seed 3 --out " +
                        out + " --json");
  REQUIRE(r.code == 0);
  const auto json = nlohmann::json::parse(r.out);
  CHECK(json["games"] == 4);
  CHECK(json["ratings"].size() == 2);
  CHECK(json["ratings"][0]["player"] == "greedy");
  CHECK(lines(slurp(out + "/games.csv")) == 5);
  CHECK_THAT(slurp(out + "/ratings.csv"), Catch::StartsWith("player,elo,elo_lo,elo_hi,trueskill_mu,trueskill_sigma,games\n"));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"tournament --env ConnectFour-v0 --players random nobody --games-per-pair 2 --out " + out + "x",
       "unknown player 'nobody'"},
      {"tournament --env ConnectFour-v0 --players random greedy --games-per-pair 0 --out " + out + "x",
       "games-per-pair"},
      {"tournament --env Conect4 --players random greedy --games-per-pair 2 --out " + out + "x", "ConnectFour-v0"},
      {"tournament --env ConnectFour-v0 --players random greedy --games-per-pair 9 --out " + out,
       "other settings"},
  };
  for (const auto& [args, needle] : cases) {
    INFO("rlarena " << args);
    const Run bad = run_rlarena(args);
    CHECK(bad.code == 2);
    CHECK(lines(bad.err) == 1);
    CHECK_THAT(bad.err, Catch::Contains(needle));
  }
  std::filesystem::remove_all(out);
}

TEST_CASE("rollout and bench take multi-agent envs: a row per step and agent, env steps/s", "[cli][multi]") {
  const std::string actions = temp_path("mpe_actions.txt");
  std::ofstream(actions) << "# adversary_0, agent_0, agent_1\n2,0,0\n0,0,0\n";
  const Run r = run_rlarena("rollout simple_adversary_v3 --actions " + actions +
                        " --state 0,0,1,0,-0.5,0.5,0,0,0.5,0.5,0,0,-0.5,-0.5,0,0,0.5,0,0,0,1 --out -");
  REQUIRE(r.code == 0);
  const auto rows = split(r.out, '\n');
  REQUIRE(rows.size() >= 7);
  const auto header = split(rows[0], ',');
  CHECK(header.size() == 2 + 1 + 10 + 3);  // step, agent, one action, obs to the longest (10), flags
  const auto adversary = split(rows[1], ',');
  CHECK(adversary[1] == "adversary_0");
  CHECK(adversary[2] == "2");
  CHECK(adversary[3] == "-0.600000024");  // landmark 0 x (-0.5) minus the adversary's new x (0.1), as float32
  CHECK(adversary[11] == "");            // the adversary's observation has 8 numbers
  CHECK(std::stod(adversary[13]) == Approx(-0.4));
  CHECK(split(rows[4], ',')[0] == "2");
  // A multi-agent run trains and evaluates on its (env, agent) rows: 4 episodes x 3 agents.
  const std::string run = temp_path("mappo_run");
  std::filesystem::remove_all(run);
  REQUIRE(run_rlarena("train --algo mappo --env simple_spread_v3 --total-steps 200 --num-envs 4 --num-steps 25 "
                  "--eval-episodes 2 --run-dir " + run).code == 0);
  const Run e = run_rlarena("eval " + run + " --episodes 4 --json");
  REQUIRE(e.code == 0);
  CHECK(nlohmann::json::parse(e.out)["episodes"] == 12);
  std::filesystem::remove_all(run);
  const Run b = run_rlarena("bench simple_spread_v3 --num-envs 4 --seconds 0.2 --json");
  REQUIRE(b.code == 0);
  const auto j = nlohmann::json::parse(b.out);
  CHECK(j["agents"] == 3);
  CHECK(j["steps_per_s"].get<double>() > 0);
  std::remove(actions.c_str());
}
