#include "replay/minari.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "envs/core/registry.h"
#include "replay/h5.h"

namespace rlarena {

namespace fs = std::filesystem;

namespace {

// The Minari version whose loader reads what we write (it checks exact versions).
constexpr const char* kMinariVersion = "0.5.3";

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (std::isnan(v)) return "NaN";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // as Python prints floats
  return s;
}

// low/high as nested lists of the space's shape.
void nested(std::ostringstream& out, const std::vector<double>& v, const std::vector<int64_t>& shape, size_t dim,
            size_t& pos, bool integer) {
  if (dim == shape.size()) {
    out << (integer ? std::to_string(static_cast<int64_t>(v[pos])) : number(v[pos]));
    ++pos;
    return;
  }
  out << "[";
  for (int64_t i = 0; i < shape[dim]; ++i) {
    if (i) out << ", ";
    nested(out, v, shape, dim + 1, pos, integer);
  }
  out << "]";
}

void write_int_attribute(H5::Group& g, const std::string& name, int64_t value) {
  H5::Attribute a = g.createAttribute(name, H5::PredType::STD_I64LE, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_INT64, &value);
}

// Gymnasium's EnvSpec.to_json for one of our ids (same ids as Gymnasium's).
std::string env_spec_json(const std::string& env_id, const std::string& kwargs_text) {
  nlohmann::ordered_json spec;
  spec["id"] = env_id;
  const bool known = Registry::global().has(env_id);
  const EnvSpec* s = known ? &Registry::global().spec(env_id) : nullptr;
  // Minari's recover_environment() makes the env from its entry point.
  spec["entry_point"] = s && !s->gymnasium_entry_point.empty() ? nlohmann::json(s->gymnasium_entry_point)
                                                                : nlohmann::json(nullptr);
  spec["reward_threshold"] = s && s->reward_threshold ? nlohmann::json(*s->reward_threshold) : nlohmann::json(nullptr);
  spec["nondeterministic"] = false;
  spec["max_episode_steps"] = s ? nlohmann::json(s->max_episode_steps) : nlohmann::json(nullptr);
  spec["order_enforce"] = true;
  spec["disable_env_checker"] = false;
  nlohmann::ordered_json kwargs = nlohmann::ordered_json::object();
  std::stringstream items(kwargs_text);
  std::string item;
  while (std::getline(items, item, ',')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    char* end = nullptr;
    const double d = std::strtod(value.c_str(), &end);
    if (value == "true" || value == "false") kwargs[key] = value == "true";
    else if (!value.empty() && *end == '\0') kwargs[key] = d;
    else kwargs[key] = value;
  }
  spec["kwargs"] = kwargs;
  spec["additional_wrappers"] = nlohmann::json::array();
  spec["vector_entry_point"] = nullptr;
  return spec.dump();
}

// What Minari 0.5's create_dataset writes besides the data: who made the dataset,
// with what, and the reference scores that normalize returns.
void add_provenance(nlohmann::ordered_json& meta, const Metadata& m) {
  auto text = [&](const std::string& key) { return m.count(key) ? m.at(key) : std::string(); };
  std::string algorithm = text("algorithm_name");
  // Older files of ours name only the policy: a scripted player's name is an algorithm name, a path is not.
  if (algorithm.empty() && !text("policy").empty() && text("policy").find('/') == std::string::npos &&
      text("policy").find('.') == std::string::npos)
    algorithm = text("policy");
  if (!algorithm.empty()) meta["algorithm_name"] = algorithm;
  // Minari keeps authors and emails as sets (JSON lists).
  if (!text("author").empty()) meta["author"] = {text("author")};
  if (!text("author_email").empty()) meta["author_email"] = {text("author_email")};
  std::string permalink = text("code_permalink");
  if (permalink.empty() && !text("git_commit").empty())
    permalink = "rlarena " + text("rlarena_version") + " at commit " + text("git_commit");
  if (!permalink.empty()) meta["code_permalink"] = permalink;
  if (!text("description").empty()) meta["description"] = text("description");
  const auto low = metadata_number(m, "ref_min_score"), high = metadata_number(m, "ref_max_score");
  if (low && high) {
    meta["ref_min_score"] = *low;
    meta["ref_max_score"] = *high;
    if (const auto n = metadata_number(m, "num_episodes_average_score")) meta["num_episodes_average_score"] = *n;
  }
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<double> flatten(const nlohmann::json& j, const std::string& where) {
  std::vector<double> out;
  if (j.is_array()) {
    for (const auto& x : j) {
      const auto sub = flatten(x, where);
      out.insert(out.end(), sub.begin(), sub.end());
    }
  } else if (j.is_number()) {
    out.push_back(j.get<double>());
  } else if (j.is_string()) {  // our stand-ins for Python's Infinity / NaN
    const std::string s = j.get<std::string>();
    out.push_back(s == "-inf" ? -INFINITY : s == "inf" ? INFINITY : NAN);
  } else {
    throw Error(where + ": a space bound is neither a number nor a list");
  }
  return out;
}

}  // namespace

std::string minari_space_json(const Space& space) {
  std::ostringstream out;
  if (space.kind() == Space::Kind::Discrete) {
    out << "{\"type\": \"Discrete\", \"dtype\": \"int64\", \"start\": " << space.start() << ", \"n\": " << space.n()
        << "}";
    return out.str();
  }
  if (space.kind() != Space::Kind::Box)
    throw Error("Minari export supports Box and Discrete spaces, not " + space.repr());
  const bool integer = space.dtype() == DType::UInt8;
  out << "{\"type\": \"Box\", \"dtype\": \"" << dtype_name(space.dtype()) << "\", \"shape\": [";
  for (size_t i = 0; i < space.shape().size(); ++i) out << (i ? ", " : "") << space.shape()[i];
  out << "], \"low\": ";
  size_t pos = 0;
  nested(out, space.low(), space.shape(), 0, pos, integer);
  out << ", \"high\": ";
  pos = 0;
  nested(out, space.high(), space.shape(), 0, pos, integer);
  out << "}";
  return out.str();
}

Space space_from_minari_json(const std::string& json, const std::string& where) {
  // Python's json writes bare Infinity/NaN; standard JSON has none.
  std::string text = json;
  const std::pair<const char*, const char*> tokens[] = {
      {"-Infinity", "\"-inf\""}, {"Infinity", "\"inf\""}, {"NaN", "\"nan\""}};
  for (const auto& [from, to] : tokens)
    for (size_t p = text.find(from); p != std::string::npos; p = text.find(from, p + std::strlen(to))) {
      if (std::string(from) == "Infinity" && p > 0 && text[p - 1] == '-') continue;
      text.replace(p, std::strlen(from), to);
    }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    throw Error(where + ": not a Minari space (" + e.what() + ")");
  }
  const std::string type = j.value("type", "");
  if (type == "Discrete") return Space::discrete(j.at("n").get<int64_t>(), j.value("start", int64_t{0}));
  if (type != "Box") throw Error(where + ": a " + type + " space; rlarena reads Box and Discrete spaces");
  const std::vector<int64_t> shape = j.at("shape").get<std::vector<int64_t>>();
  int64_t numel = 1;
  for (int64_t d : shape) numel *= d;
  auto low = flatten(j.at("low"), where), high = flatten(j.at("high"), where);
  if (low.size() == 1) low.assign(numel, low[0]);
  if (high.size() == 1) high.assign(numel, high[0]);
  const std::string dtype = j.value("dtype", "float32");
  return dtype == "uint8" ? Space::box(low, high, shape, DType::UInt8) : Space::box(low, high, shape);
}

namespace {

fs::path data_dir(const std::string& dir) {
  fs::path p(dir);
  if (fs::is_regular_file(p) && p.filename() == "main_data.hdf5") return p.parent_path();
  if (fs::exists(p / "data" / "metadata.json") || fs::exists(p / "data" / "main_data.hdf5")) return p / "data";
  if (fs::exists(p / "metadata.json")) return p;
  throw Error(dir + ": not a Minari dataset (no data/metadata.json); give the dataset directory, e.g. "
                    "~/.minari/datasets/<dataset_id>");
}

struct Loaded {
  nlohmann::json meta;
  fs::path hdf5;
};

Loaded load_metadata(const std::string& dir) {
  const fs::path data = data_dir(dir);
  Loaded l;
  const fs::path json = data / "metadata.json";
  if (!fs::exists(json)) throw Error(json.string() + ": missing; a Minari dataset needs its metadata.json");
  try {
    l.meta = nlohmann::json::parse(read_text(json));
  } catch (const std::exception& e) {
    throw Error(json.string() + ": not valid JSON (" + e.what() + ")");
  }
  for (const char* key : {"dataset_id", "total_episodes", "total_steps", "data_format"})
    if (!l.meta.contains(key)) throw Error(json.string() + ": key '" + key + "' missing; Minari requires it");
  if (l.meta["data_format"] != "hdf5")
    throw Error(json.string() + ": data_format " + l.meta["data_format"].dump() + "; rlarena reads \"hdf5\"");
  l.hdf5 = data / "main_data.hdf5";
  return l;
}

}  // namespace

std::unique_ptr<ReplayStore> read_minari(const std::string& dir, MinariInfo* info) {
  const Loaded l = load_metadata(dir);
  const std::string json_path = (l.hdf5.parent_path() / "metadata.json").string();
  const std::string file_path = l.hdf5.string();
  for (const char* key : {"observation_space", "action_space"})
    if (!l.meta.contains(key))
      throw Error(json_path + ": key '" + key + "' missing; rlarena needs the spaces written out");
  const auto as_text = [](const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); };
  const Space obs_space = space_from_minari_json(as_text(l.meta["observation_space"]), json_path + " observation_space");
  const Space act_space = space_from_minari_json(as_text(l.meta["action_space"]), json_path + " action_space");
  MinariInfo mi;
  mi.dataset_id = l.meta["dataset_id"].get<std::string>();
  mi.total_episodes = l.meta["total_episodes"].get<int64_t>();
  mi.total_steps = l.meta["total_steps"].get<int64_t>();
  if (l.meta.contains("env_spec")) {
    try {
      mi.env_id = nlohmann::json::parse(as_text(l.meta["env_spec"])).value("id", "");
    } catch (const std::exception&) {
    }
  }
  try {
    H5::H5File file = h5::open_read(file_path);
    std::vector<std::pair<int64_t, std::string>> episodes;
    for (const auto& name : h5::members(file))
      if (name.rfind("episode_", 0) == 0) {
        char* end = nullptr;
        const long long id = std::strtoll(name.c_str() + 8, &end, 10);
        if (name.size() == 8 || *end != '\0' || id < 0)
          throw Error(file_path + ": group '" + name + "' is not episode_<number>; the dataset is damaged");
        episodes.emplace_back(id, name);
      }
    std::sort(episodes.begin(), episodes.end());
    if (static_cast<int64_t>(episodes.size()) != mi.total_episodes)
      throw Error(file_path + ": holds " + std::to_string(episodes.size()) + " episodes but metadata.json says " +
                  std::to_string(mi.total_episodes));
    // Sizes first, so the store is allocated once.
    int64_t steps = 0;
    std::vector<hsize_t> lengths;
    for (const auto& [index, name] : episodes) {
      H5::Group g = file.openGroup(name);
      if (g.childObjType("observations") != H5O_TYPE_DATASET)
        throw Error(file_path + ": key '" + name + "/observations' is a group (Dict/Tuple observations); "
                    "rlarena reads Box observations");
      const hsize_t t = h5::shape_of(g, "actions", file_path + " " + name).rows();
      const hsize_t obs_rows = h5::shape_of(g, "observations", file_path + " " + name).rows();
      if (obs_rows != t + 1)
        throw Error(file_path + ": key '" + name + "/observations' has " + std::to_string(obs_rows) +
                    " rows; expected actions + 1 = " + std::to_string(t + 1));
      for (const char* key : {"rewards", "terminations", "truncations"}) {
        const hsize_t rows = h5::shape_of(g, key, file_path + " " + name).rows();
        if (rows != t)
          throw Error(file_path + ": key '" + name + "/" + key + "' has " + std::to_string(rows) +
                      " rows; expected " + std::to_string(t) + " (one per action)");
      }
      lengths.push_back(t);
      steps += static_cast<int64_t>(t);
    }
    if (steps != mi.total_steps)
      throw Error(file_path + ": holds " + std::to_string(steps) + " steps but metadata.json says " +
                  std::to_string(mi.total_steps));
    auto store = std::make_unique<ReplayStore>(obs_space, act_space, std::max<int64_t>(2, steps));
    const size_t ob = store->obs_bytes(), ab = store->action_bytes();
    for (size_t e = 0; e < episodes.size(); ++e) {
      const hsize_t t = lengths[e];
      if (t == 0) continue;
      H5::Group g = file.openGroup(episodes[e].second);
      const std::string where = file_path + " " + episodes[e].second;
      std::vector<uint8_t> obs((t + 1) * ob), act(t * ab);
      h5::read_rows(g, "observations", where, 0, t + 1, h5::type_of(obs_space.dtype()), obs.data());
      h5::read_rows(g, "actions", where, 0, t, h5::type_of(act_space.dtype()), act.data());
      const auto rewards = h5::read_floats(g, "rewards", where, 0, t);
      const auto term = h5::read_flags(g, "terminations", where, 0, t);
      const auto trunc = h5::read_flags(g, "truncations", where, 0, t);
      const std::vector<int64_t> ids(t, episodes[e].first);
      const int64_t first = store->open_rows(static_cast<int64_t>(t), obs.data(), ids.data());
      for (hsize_t i = 0; i < t; ++i)
        store->close_row(first + i, act.data() + i * ab, rewards[i], term[i], trunc[i],
                         i + 1 < t ? first + static_cast<int64_t>(i) + 1 : -1, obs.data() + (i + 1) * ob);
    }
    if (info) *info = mi;
    return store;
  } catch (const H5::Exception& e) {
    throw Error(file_path + ": HDF5 failed reading it (" + e.getDetailMsg() + "); the file is damaged or truncated");
  }
}

void write_minari(const ReplayStore& store, const std::string& dir, const std::string& dataset_id,
                  const Metadata& metadata) {
  const fs::path target(dir);
  if (fs::exists(target)) throw Error(dir + " exists; remove it or give another output directory");
  const fs::path tmp = target.string() + ".tmp-" + std::to_string(getpid());
  const std::vector<std::vector<int64_t>> episodes = store.episodes();
  const size_t ob = store.obs_bytes(), ab = store.action_bytes();
  int64_t total_steps = 0;
  try {
    fs::create_directories(tmp / "data");
    H5::H5File file((tmp / "data" / "main_data.hdf5").string(), H5F_ACC_TRUNC);
    // Chunked, resizable, uncompressed, as Minari writes.
    const h5::WriteOptions grow = h5::WriteOptions::appendable();
    for (size_t e = 0; e < episodes.size(); ++e) {
      const auto& rows = episodes[e];
      const auto t = static_cast<hsize_t>(rows.size());
      std::vector<uint8_t> obs((t + 1) * ob), act(t * ab), term(t), trunc(t);
      std::vector<double> rewards(t);
      for (hsize_t i = 0; i < t; ++i) {
        std::memcpy(obs.data() + i * ob, store.obs(rows[i]), ob);
        std::memcpy(act.data() + i * ab, store.action(rows[i]), ab);
        rewards[i] = store.reward(rows[i]);
        term[i] = store.terminated(rows[i]);
        trunc[i] = store.truncated(rows[i]);
      }
      std::memcpy(obs.data() + t * ob, store.next_obs(rows.back()), ob);
      H5::Group g = file.createGroup("episode_" + std::to_string(e));
      h5::write_array(g, "observations", h5::type_of(store.observation_space().dtype()),
                      h5::dims_of(t + 1, store.observation_space()), obs.data(), grow);
      h5::write_array(g, "actions", h5::type_of(store.action_space().dtype()), h5::dims_of(t, store.action_space()),
                      act.data(), grow);
      h5::write_array(g, "rewards", H5::PredType::NATIVE_DOUBLE, {t}, rewards.data(), grow);
      h5::write_array(g, "terminations", h5::bool_type(), {t}, term.data(), grow);
      h5::write_array(g, "truncations", h5::bool_type(), {t}, trunc.data(), grow);
      g.createGroup("infos");
      write_int_attribute(g, "id", static_cast<int64_t>(e));
      write_int_attribute(g, "total_steps", static_cast<int64_t>(t));
      total_steps += static_cast<int64_t>(t);
    }
    file.close();
  } catch (const H5::Exception& e) {
    fs::remove_all(tmp);
    throw Error(dir + ": cannot write it (" + e.getDetailMsg() + "); check that its folder is writable");
  } catch (const fs::filesystem_error& e) {
    throw Error(dir + ": cannot create it (" + std::string(e.what()) + "); check that its folder is writable");
  }
  nlohmann::ordered_json meta;
  meta["total_episodes"] = episodes.size();
  meta["total_steps"] = total_steps;
  meta["data_format"] = "hdf5";
  meta["observation_space"] = minari_space_json(store.observation_space());
  meta["action_space"] = minari_space_json(store.action_space());
  const auto env = metadata.find("env_id");
  if (env != metadata.end()) {
    const auto kw = metadata.find("env_kwargs");
    meta["env_spec"] = env_spec_json(env->second, kw == metadata.end() ? "" : kw->second);
  }
  meta["dataset_id"] = dataset_id;
  add_provenance(meta, metadata);
  meta["minari_version"] = kMinariVersion;
  meta["dataset_size"] = std::round(fs::file_size(tmp / "data" / "main_data.hdf5") / 1e5) / 10.0;
  std::ofstream(tmp / "data" / "metadata.json") << meta.dump();
  std::error_code ec;
  fs::create_directories(target.parent_path().empty() ? fs::path(".") : target.parent_path(), ec);
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove_all(tmp);
    throw Error(dir + ": cannot move the finished dataset into place (" + ec.message() + ")");
  }
}

Metadata minari_metadata(const std::string& dir) {
  const Loaded l = load_metadata(dir);
  Metadata out;
  for (const auto& [key, value] : l.meta.items()) {
    if (value.is_string()) {
      out[key] = value.get<std::string>();
    } else if (value.is_array() && std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); })) {
      std::string joined;
      for (const auto& v : value) joined += (joined.empty() ? "" : ", ") + v.get<std::string>();
      out[key] = joined;
    } else {
      out[key] = value.dump();
    }
  }
  return out;
}

DatasetSummary summarize_minari(const std::string& dir) {
  MinariInfo info;
  const auto store = read_minari(dir, &info);
  DatasetSummary s = summarize(*store);
  s.layout = "minari";
  s.metadata["dataset_id"] = info.dataset_id;
  if (!info.env_id.empty()) s.metadata["env_id"] = info.env_id;
  const Metadata own = minari_metadata(dir);
  for (const char* key : {"ref_min_score", "ref_max_score", "algorithm_name", "author", "author_email", "code_permalink"})
    if (own.count(key)) s.metadata[key] = own.at(key);
  std::string obs_dims;
  for (int64_t d : store->observation_space().shape()) obs_dims += ", " + std::to_string(d);
  s.keys["episode_{i}/observations"] = "[T+1" + obs_dims + "] " + dtype_name(store->observation_space().dtype());
  s.keys["episode_{i}/actions"] = "[T] " + store->action_space().repr();
  s.keys["episode_{i}/rewards"] = "[T]";
  s.keys["episode_{i}/terminations"] = "[T] bool";
  s.keys["episode_{i}/truncations"] = "[T] bool";
  return s;
}

}  // namespace rlarena
