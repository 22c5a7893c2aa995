#include "replay/h5.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace rlarena::h5 {

namespace {

[[noreturn]] void fail(const std::string& file, const std::string& key, const std::string& what) {
  throw Error(file + (key.empty() ? "" : ": key '" + key + "'") + ": " + what);
}

H5::DataSet open_dataset(const H5::Group& where, const std::string& key, const std::string& file) {
  if (!exists(where, key)) fail(file, key, "missing; a dataset needs it");
  try {
    return where.openDataSet(key);
  } catch (const H5::Exception& e) {
    fail(file, key, "is not a dataset (" + std::string(e.getCDetailMsg()) + ")");
  }
}

// Selects rows [begin, end) of `ds` in a file space and a matching memory space.
std::pair<H5::DataSpace, H5::DataSpace> row_spaces(const H5::DataSet& ds, const Shape& s, hsize_t begin,
                                                   hsize_t end, const std::string& file, const std::string& key) {
  if (begin > end || end > s.rows())
    fail(file, key, "rows " + std::to_string(begin) + ".." + std::to_string(end) + " asked of " +
                        std::to_string(s.rows()));
  H5::DataSpace file_space = ds.getSpace();
  std::vector<hsize_t> start(s.dims.size(), 0), count = s.dims;
  if (!s.dims.empty()) {
    start[0] = begin;
    count[0] = end - begin;
    file_space.selectHyperslab(H5S_SELECT_SET, count.data(), start.data());
  }
  H5::DataSpace mem_space = s.dims.empty() ? H5::DataSpace(H5S_SCALAR)
                                           : H5::DataSpace(static_cast<int>(count.size()), count.data());
  return {file_space, mem_space};
}

}  // namespace

hsize_t Shape::row_size() const {
  hsize_t n = 1;
  for (size_t i = 1; i < dims.size(); ++i) n *= dims[i];
  return n;
}

std::string Shape::repr() const {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  s += "] ";
  if (is_bool) return s + "bool";
  switch (type_class) {
    case H5T_FLOAT: return s + "float" + std::to_string(8 * type_size);
    case H5T_INTEGER: return s + "int" + std::to_string(8 * type_size);
    case H5T_ENUM: return s + "enum";
    case H5T_STRING: return s + "string";
    default: return s + "other";
  }
}

Shape shape_of(const H5::Group& where, const std::string& key, const std::string& file) {
  const H5::DataSet ds = open_dataset(where, key, file);
  Shape s;
  const H5::DataSpace space = ds.getSpace();
  s.dims.resize(space.getSimpleExtentNdims());
  space.getSimpleExtentDims(s.dims.data());
  s.type_class = ds.getTypeClass();
  s.type_size = ds.getDataType().getSize();
  if (s.type_class == H5T_ENUM) {
    const H5::EnumType et = ds.getEnumType();
    if (et.getNmembers() == 2 && et.getSize() == 1) {
      int8_t v = 0;
      try {
        s.is_bool = et.nameOf(&v, 16) == "FALSE" && (v = 1, et.nameOf(&v, 16) == "TRUE");
      } catch (const H5::Exception&) {
        s.is_bool = false;
      }
    }
  }
  return s;
}

std::vector<float> read_floats(const H5::Group& where, const std::string& key, const std::string& file,
                               hsize_t begin, hsize_t end) {
  const Shape s = shape_of(where, key, file);
  if (s.type_class != H5T_FLOAT && s.type_class != H5T_INTEGER)
    fail(file, key, "is " + s.repr() + "; expected numbers (float or integer)");
  std::vector<float> out((end - begin) * s.row_size());
  const H5::DataSet ds = where.openDataSet(key);
  auto [file_space, mem_space] = row_spaces(ds, s, begin, end, file, key);
  ds.read(out.data(), H5::PredType::NATIVE_FLOAT, mem_space, file_space);
  return out;
}

void read_rows(const H5::Group& where, const std::string& key, const std::string& file, hsize_t begin,
               hsize_t end, const H5::PredType& type, void* out) {
  const Shape s = shape_of(where, key, file);
  if (s.type_class != H5T_FLOAT && s.type_class != H5T_INTEGER)
    fail(file, key, "is " + s.repr() + "; expected numbers");
  const H5::DataSet ds = where.openDataSet(key);
  auto [file_space, mem_space] = row_spaces(ds, s, begin, end, file, key);
  ds.read(out, type, mem_space, file_space);
}

std::vector<uint8_t> read_flags(const H5::Group& where, const std::string& key, const std::string& file,
                                hsize_t begin, hsize_t end) {
  const Shape s = shape_of(where, key, file);
  if (s.row_size() != 1) fail(file, key, "is " + s.repr() + "; expected one flag per row");
  std::vector<uint8_t> out(end - begin);
  const H5::DataSet ds = where.openDataSet(key);
  auto [file_space, mem_space] = row_spaces(ds, s, begin, end, file, key);
  if (s.is_bool) {
    ds.read(out.data(), ds.getEnumType(), mem_space, file_space);  // FALSE = 0, TRUE = 1
    return out;
  }
  // Some D4RL files (Kitchen) keep flags as 0.0/1.0 floats.
  if (s.type_class != H5T_INTEGER && s.type_class != H5T_FLOAT)
    fail(file, key, "is " + s.repr() + "; expected booleans (or 0/1 numbers)");
  std::vector<double> values(end - begin);
  ds.read(values.data(), H5::PredType::NATIVE_DOUBLE, mem_space, file_space);
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] != 0 && values[i] != 1)
      fail(file, key, "row " + std::to_string(begin + i) + " holds " + std::to_string(values[i]) +
                          "; expected booleans (0 or 1)");
    out[i] = static_cast<uint8_t>(values[i]);
  }
  return out;
}

std::string read_string(const H5::Group& where, const std::string& key, const std::string& file) {
  const H5::DataSet ds = open_dataset(where, key, file);
  if (ds.getTypeClass() != H5T_STRING) fail(file, key, "is not a string");
  std::string value;
  ds.read(value, ds.getStrType());
  return value;
}

const H5::PredType& type_of(DType dtype) {
  switch (dtype) {
    case DType::Float32: return H5::PredType::NATIVE_FLOAT;
    case DType::UInt8: return H5::PredType::NATIVE_UINT8;
    case DType::Int8: return H5::PredType::NATIVE_INT8;
    case DType::Int64: return H5::PredType::NATIVE_INT64;
  }
  return H5::PredType::NATIVE_FLOAT;
}

std::vector<hsize_t> dims_of(hsize_t rows, const Space& space) {
  std::vector<hsize_t> dims = {rows};
  if (space.kind() != Space::Kind::Discrete)
    for (int64_t d : space.is_composite() ? std::vector<int64_t>{space.numel()} : space.shape())
      dims.push_back(static_cast<hsize_t>(d));
  return dims;
}

H5::EnumType bool_type() {
  H5::EnumType t(H5::IntType(H5::PredType::STD_I8LE));
  int8_t v = 0;
  t.insert("FALSE", &v);
  v = 1;
  t.insert("TRUE", &v);
  return t;
}

H5::DataSet write_array(H5::Group& where, const std::string& key, const H5::DataType& type,
                        const std::vector<hsize_t>& dims, const void* data, const WriteOptions& options) {
  std::vector<hsize_t> max = dims, chunk = dims;
  // About 64 KiB chunks (at least a row): big enough for fast I/O, small enough to slice.
  hsize_t row_bytes = type.getSize();
  for (size_t i = 1; i < dims.size(); ++i) row_bytes *= dims[i];
  chunk[0] = std::max<hsize_t>(1, std::min<hsize_t>(std::max<hsize_t>(dims[0], 1), (1 << 16) / std::max<hsize_t>(row_bytes, 1)));
  if (options.extendible) {
    max[0] = H5S_UNLIMITED;
    chunk[0] = std::max<hsize_t>(chunk[0], 256);
  }
  H5::DSetCreatPropList plist;
  if (options.contiguous && !options.gzip && !options.extendible) {
    plist.setLayout(H5D_CONTIGUOUS);
  } else {
    plist.setChunk(static_cast<int>(chunk.size()), chunk.data());
    if (options.gzip) plist.setDeflate(4);
  }
  H5::DataSpace space(static_cast<int>(dims.size()), dims.data(), max.data());
  H5::DataSet ds = where.createDataSet(key, type, space, plist);
  if (dims[0] > 0 && data) ds.write(data, type);
  return ds;
}

void write_string(H5::Group& where, const std::string& key, const std::string& value) {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  H5::DataSet ds = where.createDataSet(key, type, H5::DataSpace(H5S_SCALAR));
  ds.write(value, type);
}

void write_rows(H5::DataSet& dataset, const H5::DataType& type, hsize_t begin, hsize_t rows, const void* data) {
  if (rows == 0) return;
  H5::DataSpace file_space = dataset.getSpace();
  std::vector<hsize_t> dims(file_space.getSimpleExtentNdims());
  file_space.getSimpleExtentDims(dims.data());
  std::vector<hsize_t> start(dims.size(), 0), count = dims;
  start[0] = begin;
  count[0] = rows;
  file_space.selectHyperslab(H5S_SELECT_SET, count.data(), start.data());
  H5::DataSpace mem_space(static_cast<int>(count.size()), count.data());
  dataset.write(data, type, mem_space, file_space);
}

void append_rows(H5::DataSet& dataset, const H5::DataType& type, hsize_t rows, const void* data) {
  if (rows == 0) return;
  std::vector<hsize_t> dims(dataset.getSpace().getSimpleExtentNdims());
  dataset.getSpace().getSimpleExtentDims(dims.data());
  const hsize_t old_rows = dims[0];
  dims[0] += rows;
  dataset.extend(dims.data());
  write_rows(dataset, type, old_rows, rows, data);
}

}  // namespace rlarena::h5
