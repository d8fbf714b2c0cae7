#pragma once

#include <ostream>
#include <string_view>

namespace ray {

// A file/line pair, e.g. where a Status was created. The file name is not
// owned: it is meant to point at a string literal such as __FILE__.
struct SourceLocation {
  constexpr SourceLocation() = default;
  constexpr SourceLocation(std::string_view file, int line)
      : filename(file), line_no(line) {}

  // A location is valid when it names a file; line 0 is allowed.
  bool IsValid() const { return !filename.empty(); }

  std::string_view filename;
  int line_no = 0;
};

// Prints "file:line", or nothing for an invalid location.
std::ostream &operator<<(std::ostream &os, const SourceLocation &loc);

}  // namespace ray

#define RAY_LOC() ::ray::SourceLocation(__FILE__, __LINE__)
