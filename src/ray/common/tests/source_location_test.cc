#include "ray/common/source_location.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "ray/common/implementation.h"
#include "ray/common/status.h"

namespace ray {
namespace {

TEST(RayCommonImplementationTest, LinkedImplementationIsTheSelectedOne) {
  EXPECT_STREQ(ray::RayCommonImplementation(), RAY_COMMON_EXPECTED_IMPL);
}

std::string Streamed(const SourceLocation &loc) {
  std::ostringstream os;
  os << loc;
  return os.str();
}

TEST(SourceLocationTest, StringifyTest) {
  SourceLocation empty;
  EXPECT_EQ(Streamed(empty), "");

  const int line = __LINE__ + 1;
  SourceLocation here = RAY_LOC();
  EXPECT_EQ(Streamed(here), std::string(__FILE__) + ":" + std::to_string(line));
}

TEST(SourceLocationTest, DefaultIsInvalid) {
  SourceLocation loc;
  EXPECT_FALSE(loc.IsValid());
  EXPECT_TRUE(loc.filename.empty());
  EXPECT_EQ(loc.line_no, 0);
}

TEST(SourceLocationTest, ValidityDependsOnlyOnFileName) {
  EXPECT_TRUE(SourceLocation("x", 0).IsValid());
  EXPECT_TRUE(SourceLocation("src/a.cc", 10).IsValid());
  EXPECT_TRUE(SourceLocation("f", -3).IsValid());
  EXPECT_FALSE(SourceLocation("", 5).IsValid());
  EXPECT_FALSE(SourceLocation("", 0).IsValid());
}

TEST(SourceLocationTest, StreamsFileColonLine) {
  EXPECT_EQ(Streamed(SourceLocation("src/a.cc", 10)), "src/a.cc:10");
  EXPECT_EQ(Streamed(SourceLocation("x", 0)), "x:0");
  EXPECT_EQ(Streamed(SourceLocation("", 5)), "");
  EXPECT_EQ(Streamed(SourceLocation("dir with space/f.cc", 2147483647)),
            "dir with space/f.cc:2147483647");
}

TEST(SourceLocationTest, StreamsInsideOtherOutput) {
  std::ostringstream os;
  os << "<" << SourceLocation("a.cc", 1) << "|" << SourceLocation() << ">";
  EXPECT_EQ(os.str(), "<a.cc:1|>");
}

TEST(SourceLocationTest, RayLocRecordsFileAndLine) {
  const int line = __LINE__ + 1;
  SourceLocation loc = RAY_LOC();
  EXPECT_TRUE(loc.IsValid());
  EXPECT_EQ(std::string(loc.filename), __FILE__);
  EXPECT_EQ(loc.line_no, line);
}

TEST(SourceLocationTest, StatusShowsLocation) {
  const int line = __LINE__ + 1;
  Status s(StatusCode::NotFound, "gone", RAY_LOC());
  EXPECT_EQ(s.ToString(),
            std::string("NotFound: gone at ") + __FILE__ + ":" + std::to_string(line));
  EXPECT_EQ(Status(StatusCode::NotFound, "gone", SourceLocation()).ToString(),
            "NotFound: gone");
}

}  // namespace
}  // namespace ray
