#include "envs/render/media.h"

#include <png.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

#include "common/error.h"

namespace rlarena {

namespace {
void check_frame(const Array& f, const std::string& path) {
  if (f.dtype != DType::UInt8 || f.shape.size() != 3 || f.shape[2] != 3)
    throw Error(path + ": a frame must be uint8 [height, width, 3]");
}
std::string extension(const std::string& path) {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? "" : path.substr(dot);
}
}  // namespace

void write_png(const std::string& path, const Array& frame) {
  check_frame(frame, path);
  const std::string tmp = path + ".tmp-" + std::to_string(getpid()) + ".png";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw Error(path + ": cannot write it; check that its folder exists and is writable");
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(f);
    std::remove(tmp.c_str());
    throw Error(path + ": libpng failed writing it");
  }
  const auto h = static_cast<png_uint_32>(frame.shape[0]), w = static_cast<png_uint_32>(frame.shape[1]);
  png_init_io(png, f);
  png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (png_uint_32 y = 0; y < h; ++y)
    png_write_row(png, const_cast<png_bytep>(frame.as<uint8_t>() + static_cast<size_t>(y) * w * 3));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(f);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(path + ": cannot move the finished picture into place");
  }
}

VideoWriter::VideoWriter(std::string path, int fps) : path_(std::move(path)), fps_(fps) {
  const std::string ext = extension(path_);
  if (ext != ".mp4" && ext != ".gif")
    throw Error("--out " + path_ + ": give a .mp4 or .gif video, or a .png picture");
  if (fps < 1) throw Error("--fps " + std::to_string(fps) + "; give 1 or more frames per second");
  tmp_ = path_ + ".tmp-" + std::to_string(getpid()) + ext;
}

VideoWriter::~VideoWriter() {
  if (ffmpeg_) {
    ffmpeg_.reset();  // killed: an unfinished video is not kept
    std::remove(tmp_.c_str());
  }
}

void VideoWriter::add(const Array& frame) {
  check_frame(frame, path_);
  if (!ffmpeg_) {
    height_ = frame.shape[0], width_ = frame.shape[1];
    std::vector<std::string> argv = {"ffmpeg", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
                                     "-s", std::to_string(width_) + "x" + std::to_string(height_),
                                     "-r", std::to_string(fps_), "-i", "-"};
    if (extension(path_) == ".gif") {
      argv.insert(argv.end(), {"-vf", "split[a][b];[a]palettegen[p];[b][p]paletteuse"});
    } else {  // H.264 in yuv420p wants even sizes: pad by a pixel where needed
      argv.insert(argv.end(), {"-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-pix_fmt", "yuv420p"});
    }
    argv.push_back("file:" + tmp_);  // "file:": a name with ':' or a leading '-' is still a file
    ffmpeg_ = std::make_unique<Subprocess>(argv, "install Debian's ffmpeg package (scripts/setup.sh does)");
  }
  if (frame.shape[0] != height_ || frame.shape[1] != width_)
    throw Error(path_ + ": frames changed size within the video");
  if (!ffmpeg_->write(frame.bytes.data(), frame.bytes.size())) {
    std::string said;
    ffmpeg_->finish(&said);
    ffmpeg_.reset();
    std::remove(tmp_.c_str());
    throw Error(path_ + ": ffmpeg stopped taking frames (" + Subprocess::last_line(said) + ")");
  }
  ++frames_;
}

void VideoWriter::close() {
  if (!ffmpeg_) throw Error(path_ + ": no frames to write");
  std::string said;
  const int status = ffmpeg_->finish(&said);
  ffmpeg_.reset();
  if (status != 0) {
    std::remove(tmp_.c_str());
    throw Error(path_ + ": ffmpeg failed encoding it (" + Subprocess::last_line(said) +
                "); check that the folder is writable");
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    std::remove(tmp_.c_str());
    throw Error(path_ + ": cannot move the finished video into place");
  }
}

}  // namespace rlarena
