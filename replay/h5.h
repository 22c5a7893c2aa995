// h5: the few HDF5 operations our dataset formats need, over the HDF5 C++ API, with
// every failure turned into an Error that names the file, the key and what was
// expected. Arrays are read converted to the type we keep (float32 for numbers, 0/1
// bytes for flags, including h5py's numpy-bool enum) and written chunked.
#pragma once
#include <H5Cpp.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/h5_file.h"
#include "envs/core/space.h"

namespace rlarena::h5 {

struct Shape {
  std::vector<hsize_t> dims;
  H5T_class_t type_class = H5T_NO_CLASS;
  size_t type_size = 0;
  bool is_bool = false;  // an enum of FALSE/TRUE (h5py's numpy bool)
  hsize_t rows() const { return dims.empty() ? 1 : dims[0]; }
  hsize_t row_size() const;  // elements per row
  std::string repr() const;  // "[1000, 17] float32"
};
Shape shape_of(const H5::Group& where, const std::string& key, const std::string& file);

// Rows [begin, end) of a numeric array as float32 (float64 and integers converted).
std::vector<float> read_floats(const H5::Group& where, const std::string& key, const std::string& file,
                               hsize_t begin, hsize_t end);
// Rows [begin, end) of an array as raw values of `type` (e.g. uint8 pixels, int64).
void read_rows(const H5::Group& where, const std::string& key, const std::string& file, hsize_t begin,
               hsize_t end, const H5::PredType& type, void* out);
// Rows [begin, end) of a flag array as 0/1: numpy-bool enums, and integers or
// floats that hold only 0 and 1.
std::vector<uint8_t> read_flags(const H5::Group& where, const std::string& key, const std::string& file,
                                hsize_t begin, hsize_t end);
std::string read_string(const H5::Group& where, const std::string& key, const std::string& file);

// The HDF5 memory type of a space's element type (float32, uint8, int8, int64).
const H5::PredType& type_of(DType dtype);
// Dimensions of `rows` rows of a space's values: [rows, shape...] ([rows] for Discrete).
std::vector<hsize_t> dims_of(hsize_t rows, const Space& space);

// h5py's type for numpy bool: an int8 enum {FALSE: 0, TRUE: 1}.
H5::EnumType bool_type();

struct WriteOptions {
  bool gzip = false;
  bool extendible = false;  // unlimited first dimension (appending writers)
  bool contiguous = false;  // one contiguous block (fastest I/O; not with gzip or extendible)
  static WriteOptions appendable() {
    WriteOptions o;
    o.extendible = true;
    return o;
  }
  static WriteOptions whole(bool gzip) {  // written once: gzipped chunks, or one contiguous block
    WriteOptions o;
    o.gzip = gzip;
    o.contiguous = !gzip;
    return o;
  }
};
// Writes [rows, row_dims...] values of `type` as a new chunked dataset.
H5::DataSet write_array(H5::Group& where, const std::string& key, const H5::DataType& type,
                        const std::vector<hsize_t>& dims, const void* data, const WriteOptions& options);
void write_string(H5::Group& where, const std::string& key, const std::string& value);
// Writes rows [begin, begin + rows) of an existing dataset.
void write_rows(H5::DataSet& dataset, const H5::DataType& type, hsize_t begin, hsize_t rows, const void* data);
// Appends rows to an extendible dataset.
void append_rows(H5::DataSet& dataset, const H5::DataType& type, hsize_t rows, const void* data);

}  // namespace rlarena::h5
