// Pictures and videos out of rgb_array frames: PNG through libpng, MP4 and GIF
// through the ffmpeg program (Debian's ffmpeg package, started without a shell) fed
// raw frames on a pipe. Files go to a temporary name and are renamed when complete.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "common/subprocess.h"
#include "envs/core/array.h"

namespace rlarena {

void write_png(const std::string& path, const Array& frame);

class VideoWriter {
 public:
  // `path` ends in .mp4 or .gif; frames must all have the first frame's size.
  VideoWriter(std::string path, int fps);
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;
  void add(const Array& frame);
  void close();  // waits for ffmpeg and renames the file into place
  int64_t frames() const { return frames_; }

 private:
  std::string path_, tmp_;
  int fps_;
  std::unique_ptr<Subprocess> ffmpeg_;
  int64_t width_ = 0, height_ = 0, frames_ = 0;
};

}  // namespace rlarena
