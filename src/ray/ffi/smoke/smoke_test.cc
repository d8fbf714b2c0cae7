#include <gtest/gtest.h>

#include "ray/rust/bridge.rs.h"

TEST(RustBridgeSmokeTest, CallsIntoRust) {
  EXPECT_EQ(std::string(ray::rust::implementation_name()), "rust");
}
