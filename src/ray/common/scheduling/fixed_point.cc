#include "ray/common/scheduling/fixed_point.h"

#include <sstream>
#include <string>
#include <vector>

std::vector<FixedPoint> FixedPointVectorFromDouble(const std::vector<double> &vector) {
  std::vector<FixedPoint> result;
  result.reserve(vector.size());
  for (double value : vector) {
    result.emplace_back(value);
  }
  return result;
}

std::vector<double> FixedPointVectorToDouble(const std::vector<FixedPoint> &vector_fp) {
  std::vector<double> result;
  result.reserve(vector_fp.size());
  for (const FixedPoint &value : vector_fp) {
    result.push_back(value.Double());
  }
  return result;
}

std::string FixedPointVectorToString(const std::vector<FixedPoint> &vector) {
  std::ostringstream out;
  out << "[";
  const char *separator = "";
  for (const FixedPoint &value : vector) {
    out << separator << value;
    separator = ", ";
  }
  out << "]";
  return out.str();
}
