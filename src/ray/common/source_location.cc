#include "ray/common/source_location.h"

namespace ray {

std::ostream &operator<<(std::ostream &os, const SourceLocation &loc) {
  if (loc.IsValid()) {
    os << loc.filename << ':' << loc.line_no;
  }
  return os;
}

}  // namespace ray
