// FixedPoint: a resource quantity with four decimal digits of precision.
//
// The value is held as an integer count of 1/kResourceUnitScaling units, so
// adding and subtracting quantities is exact. Conversions from double truncate
// toward zero; conversion back to double divides by the scaling factor.

#pragma once

#include <cmath>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "ray/common/constants.h"

class FixedPoint {
 private:
  // Quantity in units of 1/kResourceUnitScaling.
  int64_t i_ = 0;

  // Truncating conversion used by every double-taking member.
  static int64_t Scale(double d) {
    return static_cast<int64_t>(d * kResourceUnitScaling);
  }

 public:
  FixedPoint() : FixedPoint(0.0) {}
  FixedPoint(double d) : i_(Scale(d)) {}  // NOLINT(runtime/explicit)
  // Widened before scaling: Ray multiplies in int, which overflows (undefined)
  // beyond about 214748; in range the results are the same.
  FixedPoint(int i)  // NOLINT(runtime/explicit)
      : i_(static_cast<int64_t>(i) * kResourceUnitScaling) {}
  // 64-bit integers go through double, as quantities are never that large.
  FixedPoint(int64_t i) : FixedPoint(static_cast<double>(i)) {}  // NOLINT

  /// The sum of every element of `list`.
  static FixedPoint Sum(const std::vector<FixedPoint> &list) {
    FixedPoint total;
    for (const FixedPoint &value : list) {
      total.i_ += value.i_;
    }
    return total;
  }

  FixedPoint operator+(FixedPoint const &ru) const {
    FixedPoint result;
    result.i_ = i_ + ru.i_;
    return result;
  }

  FixedPoint &operator+=(FixedPoint const &ru) {
    i_ += ru.i_;
    return *this;
  }

  FixedPoint operator-(FixedPoint const &ru) const {
    FixedPoint result;
    result.i_ = i_ - ru.i_;
    return result;
  }

  FixedPoint &operator-=(FixedPoint const &ru) {
    i_ -= ru.i_;
    return *this;
  }

  FixedPoint operator-() const {
    FixedPoint result;
    result.i_ = -i_;
    return result;
  }

  FixedPoint operator+(double const d) const {
    FixedPoint result;
    result.i_ = i_ + Scale(d);
    return result;
  }

  FixedPoint operator-(double const d) const {
    FixedPoint result;
    result.i_ = i_ - Scale(d);
    return result;
  }

  // Ray's assignment and compound assignment from double return a copy.
  FixedPoint operator=(double const d) {
    i_ = Scale(d);
    return *this;
  }

  FixedPoint operator+=(double const d) {
    i_ += Scale(d);
    return *this;
  }

  FixedPoint operator+=(int64_t const ru) {
    *this += static_cast<double>(ru);
    return *this;
  }

  bool operator<(FixedPoint const &ru1) const { return i_ < ru1.i_; }
  bool operator>(FixedPoint const &ru1) const { return i_ > ru1.i_; }
  bool operator<=(FixedPoint const &ru1) const { return i_ <= ru1.i_; }
  bool operator>=(FixedPoint const &ru1) const { return i_ >= ru1.i_; }
  bool operator==(FixedPoint const &ru1) const { return i_ == ru1.i_; }
  bool operator!=(FixedPoint const &ru1) const { return i_ != ru1.i_; }

  /// The quantity in regular units.
  [[nodiscard]] double Double() const {
    return std::round(static_cast<double>(i_)) / kResourceUnitScaling;
  }

  // Streams the raw unit count (e.g. 0.5 prints as 5000).
  friend std::ostream &operator<<(std::ostream &out, FixedPoint const &ru1);
};

inline std::ostream &operator<<(std::ostream &out, FixedPoint const &ru1) {
  out << ru1.i_;
  return out;
}

/// Each double converted with FixedPoint(double).
std::vector<FixedPoint> FixedPointVectorFromDouble(const std::vector<double> &vector);

/// Each element's Double().
std::vector<double> FixedPointVectorToDouble(const std::vector<FixedPoint> &vector_fp);

/// "[a, b, c]" with each element's raw unit count; "[]" when empty.
std::string FixedPointVectorToString(const std::vector<FixedPoint> &vector);
