#include "ray/common/scheduling/fixed_point.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "ray/common/constants.h"
#include "ray/common/implementation.h"

namespace {

TEST(RayCommonImplementationTest, LinkedImplementationIsTheSelectedOne) {
  EXPECT_STREQ(ray::RayCommonImplementation(), RAY_COMMON_EXPECTED_IMPL);
}

// The raw unit count, which operator<< prints.
std::string Raw(const FixedPoint &value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

TEST(FixedPointTest, ScalingIsTenThousandUnitsPerResource) {
  EXPECT_EQ(kResourceUnitScaling, 10000);
  EXPECT_EQ(Raw(FixedPoint(1)), "10000");
  EXPECT_EQ(Raw(FixedPoint(1.0)), "10000");
  EXPECT_EQ(Raw(FixedPoint(int64_t{1})), "10000");
  EXPECT_EQ(Raw(FixedPoint(0.0001)), "1");
}

TEST(FixedPointTest, DefaultIsZero) {
  FixedPoint zero;
  EXPECT_EQ(Raw(zero), "0");
  EXPECT_EQ(zero, FixedPoint(0));
  EXPECT_EQ(zero.Double(), 0.0);
}

TEST(FixedPointTest, DoubleConversionTruncatesTowardZero) {
  // Below one unit.
  EXPECT_EQ(Raw(FixedPoint(0.00009)), "0");
  EXPECT_EQ(Raw(FixedPoint(-0.00009)), "0");
  // The fifth decimal is dropped, not rounded.
  EXPECT_EQ(Raw(FixedPoint(1.23456)), "12345");
  EXPECT_EQ(Raw(FixedPoint(-1.23456)), "-12345");
  // 0.57 * 10000 is 5699.999... in double arithmetic: truncated to 5699.
  EXPECT_EQ(Raw(FixedPoint(0.57)), "5699");
  EXPECT_EQ(Raw(FixedPoint(-0.57)), "-5699");
  // 0.56 * 10000 is 5600.000...1: 5600.
  EXPECT_EQ(Raw(FixedPoint(0.56)), "5600");
  EXPECT_EQ(FixedPoint(0.57).Double(), 0.5699);
}

TEST(FixedPointTest, IntegerConstructors) {
  EXPECT_EQ(Raw(FixedPoint(0)), "0");
  EXPECT_EQ(Raw(FixedPoint(-3)), "-30000");
  EXPECT_EQ(Raw(FixedPoint(int64_t{-3})), "-30000");
  EXPECT_EQ(FixedPoint(7), FixedPoint(7.0));
  EXPECT_EQ(FixedPoint(int64_t{7}), FixedPoint(7.0));
  // Beyond int * 10000's range the value is still exact.
  EXPECT_EQ(Raw(FixedPoint(300000)), "3000000000");
  EXPECT_EQ(FixedPoint(300000), FixedPoint(300000.0));
  EXPECT_EQ(Raw(FixedPoint(int64_t{1} << 40)), "10995116277760000");
}

TEST(FixedPointTest, DoubleRoundTrips) {
  EXPECT_EQ(FixedPoint(0.5).Double(), 0.5);
  EXPECT_EQ(FixedPoint(2).Double(), 2.0);
  EXPECT_EQ(FixedPoint(-1.25).Double(), -1.25);
  EXPECT_EQ(FixedPoint(1.23456).Double(), 1.2345);
  EXPECT_EQ(FixedPoint(0.0001).Double(), 0.0001);
}

TEST(FixedPointTest, ArithmeticIsExactInUnits) {
  // 0.1 + 0.2 is not 0.3 in double, but is in fixed point.
  EXPECT_EQ(FixedPoint(0.1) + FixedPoint(0.2), FixedPoint(0.3));
  EXPECT_EQ((FixedPoint(0.1) + FixedPoint(0.2)).Double(), 0.3);
  EXPECT_EQ(FixedPoint(1) - FixedPoint(0.3), FixedPoint(0.7));
  EXPECT_EQ(FixedPoint(0.3) - FixedPoint(1), FixedPoint(-0.7));
  EXPECT_EQ(-FixedPoint(0.3), FixedPoint(-0.3));
  EXPECT_EQ(-FixedPoint(0), FixedPoint(0));

  FixedPoint value(1);
  FixedPoint &same = (value += FixedPoint(0.5));
  EXPECT_EQ(&same, &value);
  EXPECT_EQ(value, FixedPoint(1.5));
  FixedPoint &again = (value -= FixedPoint(2));
  EXPECT_EQ(&again, &value);
  EXPECT_EQ(value, FixedPoint(-0.5));
}

TEST(FixedPointTest, MixedArithmeticWithDoubleTruncatesTheDouble) {
  EXPECT_EQ(Raw(FixedPoint(1) + 0.57), "15699");
  EXPECT_EQ(Raw(FixedPoint(1) - 0.57), "4301");
  EXPECT_EQ(Raw(FixedPoint(1) + 0.00009), "10000");
  // Operands are converted separately, so this differs from FixedPoint(1.57).
  EXPECT_NE(FixedPoint(1) + 0.57, FixedPoint(1.57));
}

TEST(FixedPointTest, AssignmentFromDoubleReturnsACopy) {
  static_assert(std::is_same_v<decltype(std::declval<FixedPoint &>() = 1.0), FixedPoint>,
                "Ray's operator=(double) returns by value");
  static_assert(std::is_same_v<decltype(std::declval<FixedPoint &>() += 1.0), FixedPoint>,
                "Ray's operator+=(double) returns by value");
  static_assert(
      std::is_same_v<decltype(std::declval<FixedPoint &>() += int64_t{1}), FixedPoint>,
      "Ray's operator+=(int64_t) returns by value");
  static_assert(
      std::is_same_v<decltype(std::declval<FixedPoint &>() += FixedPoint()),
                     FixedPoint &>,
      "operator+=(FixedPoint) returns a reference");

  FixedPoint value(3);
  FixedPoint copy = (value = 0.25);
  EXPECT_EQ(value, FixedPoint(0.25));
  EXPECT_EQ(copy, FixedPoint(0.25));
  FixedPoint sum = (value += 0.5);
  EXPECT_EQ(value, FixedPoint(0.75));
  EXPECT_EQ(sum, FixedPoint(0.75));
  value += int64_t{2};
  EXPECT_EQ(value, FixedPoint(2.75));
  value += 0.00009;  // below one unit: no change
  EXPECT_EQ(value, FixedPoint(2.75));
}

TEST(FixedPointTest, Comparisons) {
  FixedPoint low(0.25);
  FixedPoint high(0.5);
  EXPECT_TRUE(low < high);
  EXPECT_FALSE(high < low);
  EXPECT_FALSE(low < low);
  EXPECT_TRUE(high > low);
  EXPECT_FALSE(low > low);
  EXPECT_TRUE(low <= low);
  EXPECT_TRUE(low <= high);
  EXPECT_FALSE(high <= low);
  EXPECT_TRUE(high >= high);
  EXPECT_TRUE(high >= low);
  EXPECT_FALSE(low >= high);
  EXPECT_TRUE(low == FixedPoint(0.25));
  EXPECT_FALSE(low == high);
  EXPECT_TRUE(low != high);
  EXPECT_FALSE(low != FixedPoint(0.25));
  // Doubles and ints convert implicitly, at unit precision.
  EXPECT_TRUE(low == 0.25);
  EXPECT_TRUE(FixedPoint(0.00009) == 0);
  EXPECT_TRUE(FixedPoint(2) > 1.9999);
  EXPECT_TRUE(FixedPoint(-1) < 0);
}

TEST(FixedPointTest, Sum) {
  EXPECT_EQ(FixedPoint::Sum({}), FixedPoint(0));
  EXPECT_EQ(FixedPoint::Sum({FixedPoint(0.3)}), FixedPoint(0.3));
  EXPECT_EQ(FixedPoint::Sum({FixedPoint(1), FixedPoint(0.3), FixedPoint(0.5)}),
            FixedPoint(1.8));
  EXPECT_EQ(FixedPoint::Sum({FixedPoint(1), FixedPoint(-1.5)}), FixedPoint(-0.5));
}

TEST(FixedPointTest, StreamsTheRawUnitCount) {
  EXPECT_EQ(Raw(FixedPoint(0.5)), "5000");
  EXPECT_EQ(Raw(FixedPoint(-2.5)), "-25000");
  std::ostringstream out;
  out << FixedPoint(1) << "|" << FixedPoint(0.0002);
  EXPECT_EQ(out.str(), "10000|2");
}

TEST(FixedPointVectorTest, FromDouble) {
  EXPECT_TRUE(FixedPointVectorFromDouble({}).empty());
  std::vector<FixedPoint> expected{FixedPoint(1), FixedPoint(0.5), FixedPoint(-2)};
  EXPECT_EQ(FixedPointVectorFromDouble({1, 0.5, -2}), expected);
  EXPECT_EQ(FixedPointVectorFromDouble({0.57}),
            std::vector<FixedPoint>{FixedPoint(0.5699)});
}

TEST(FixedPointVectorTest, ToDouble) {
  EXPECT_TRUE(FixedPointVectorToDouble({}).empty());
  std::vector<double> expected{1, 0.5, -2, 0.5699};
  EXPECT_EQ(FixedPointVectorToDouble(
                {FixedPoint(1), FixedPoint(0.5), FixedPoint(-2), FixedPoint(0.57)}),
            expected);
}

TEST(FixedPointVectorTest, ToString) {
  EXPECT_EQ(FixedPointVectorToString({}), "[]");
  EXPECT_EQ(FixedPointVectorToString({FixedPoint(0.5)}), "[5000]");
  EXPECT_EQ(FixedPointVectorToString({FixedPoint(1), FixedPoint(0), FixedPoint(-0.25)}),
            "[10000, 0, -2500]");
}

}  // namespace
