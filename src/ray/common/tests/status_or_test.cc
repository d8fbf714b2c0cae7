#include "ray/common/status_or.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ray/common/implementation.h"
#include "ray/common/status.h"

namespace ray {
namespace {

TEST(RayCommonImplementationTest, LinkedImplementationIsTheSelectedOne) {
  EXPECT_STREQ(ray::RayCommonImplementation(), RAY_COMMON_EXPECTED_IMPL);
}

struct Base {
  virtual ~Base() = default;
  virtual int Kind() const { return 1; }
};

struct Derived : Base {
  int Kind() const override { return 2; }
};

struct Point {
  int x = 0;
  int y = 0;
  int Sum() const { return x + y; }
  bool operator==(const Point &other) const { return x == other.x && y == other.y; }
};

// Counts live instances so tests can see that values are destroyed.
struct Tracked {
  static int live;
  int value;
  explicit Tracked(int v) : value(v) { ++live; }
  Tracked(const Tracked &other) : value(other.value) { ++live; }
  Tracked(Tracked &&other) noexcept : value(other.value) { ++live; }
  Tracked &operator=(const Tracked &) = default;
  Tracked &operator=(Tracked &&) = default;
  ~Tracked() { --live; }
};
int Tracked::live = 0;

TEST(StatusOrTest, AssignTest) {
  StatusOr<int> from_status = Status::NotFound("nothing here");
  EXPECT_FALSE(from_status.ok());
  EXPECT_EQ(from_status.code(), StatusCode::NotFound);
  EXPECT_EQ(from_status.message(), "nothing here");

  StatusOr<int> from_value = 42;
  ASSERT_TRUE(from_value.ok());
  EXPECT_EQ(from_value.value(), 42);
  EXPECT_EQ(from_value.code(), StatusCode::OK);

  StatusOr<std::unique_ptr<int>> move_only = std::make_unique<int>(7);
  ASSERT_TRUE(move_only.ok());
  EXPECT_EQ(*move_only.value(), 7);

  std::unique_ptr<int> pointer = std::make_unique<int>(8);
  StatusOr<std::unique_ptr<int>> moved_in = std::move(pointer);
  ASSERT_TRUE(moved_in.ok());
  EXPECT_EQ(**moved_in, 8);
}

TEST(StatusOrTest, CopyTest) {
  StatusOr<std::string> value = std::string("text");
  StatusOr<std::string> copy(value);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(*copy, "text");
  EXPECT_EQ(*value, "text");

  StatusOr<std::string> error = Status::Invalid("bad");
  StatusOr<std::string> error_copy(error);
  EXPECT_FALSE(error_copy.ok());
  EXPECT_TRUE(error_copy.IsInvalid());
  EXPECT_EQ(error_copy.message(), "bad");
  EXPECT_TRUE(error.IsInvalid());
}

TEST(StatusOrTest, MoveTest) {
  StatusOr<std::unique_ptr<int>> value = std::make_unique<int>(3);
  StatusOr<std::unique_ptr<int>> moved(std::move(value));
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(**moved, 3);

  StatusOr<std::unique_ptr<int>> error = Status::PermissionDenied("no");
  StatusOr<std::unique_ptr<int>> moved_error(std::move(error));
  EXPECT_FALSE(moved_error.ok());
  EXPECT_TRUE(moved_error.IsPermissionDenied());
  EXPECT_EQ(moved_error.message(), "no");
}

TEST(StatusOrTest, OperatorTest) {
  StatusOr<Point> point = Point{2, 5};
  ASSERT_TRUE(point.ok());
  EXPECT_EQ(point->x, 2);
  EXPECT_EQ(point->Sum(), 7);
  point->y = 10;
  EXPECT_EQ((*point).y, 10);

  const StatusOr<Point> const_point = Point{1, 1};
  EXPECT_EQ(const_point->Sum(), 2);
  EXPECT_EQ((*const_point).x, 1);

  StatusOr<std::string> text = std::string("abc");
  EXPECT_EQ(text->size(), 3u);
}

TEST(StatusOrTest, EqualityTest) {
  StatusOr<int> error = Status::NotFound("a");
  StatusOr<int> value = 1;
  EXPECT_FALSE(error == value);
  EXPECT_FALSE(value == error);
  EXPECT_TRUE(error != value);

  StatusOr<int> same_value = 1;
  EXPECT_TRUE(value == same_value);
  EXPECT_FALSE(value != same_value);

  StatusOr<int> other_value = 2;
  EXPECT_FALSE(value == other_value);
  EXPECT_TRUE(value != other_value);
}

TEST(StatusOrTest, EqualityOfErrorsComparesCodesOnly) {
  StatusOr<int> a = Status::NotFound("first message");
  StatusOr<int> b = Status::NotFound("second message");
  StatusOr<int> c = Status::Invalid("first message");
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == c);
  EXPECT_TRUE(a != c);
}

TEST(StatusOrTest, ValueOrTest) {
  StatusOr<int> value = 5;
  EXPECT_EQ(value.value_or(9), 5);
  StatusOr<int> error = Status::IOError("io");
  EXPECT_EQ(error.value_or(9), 9);

  StatusOr<std::string> text_error = Status::KeyError("k");
  EXPECT_EQ(text_error.value_or("fallback"), "fallback");
  EXPECT_EQ(StatusOr<std::string>(std::string("v")).value_or("fallback"), "v");
}

TEST(StatusOrTest, StatusOrConversion) {
  StatusOr<std::unique_ptr<Derived>> derived = std::make_unique<Derived>();
  StatusOr<std::unique_ptr<Base>> base = std::move(derived);
  ASSERT_TRUE(base.ok());
  EXPECT_EQ((*base)->Kind(), 2);

  StatusOr<std::unique_ptr<Derived>> derived_error = Status::InvalidArgument("no derived");
  StatusOr<std::unique_ptr<Base>> base_error = std::move(derived_error);
  EXPECT_FALSE(base_error.ok());
  EXPECT_TRUE(base_error.IsInvalidArgument());
  EXPECT_EQ(base_error.message(), "no derived");

  StatusOr<int> small = 12;
  StatusOr<long long> wide = small;
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ(*wide, 12);
}

TEST(StatusOrTest, StatusOrDefaultTest) {
  StatusOr<int> error = Status::NotFound("none");
  EXPECT_EQ(error.value_or_default(), 0);
  StatusOr<std::string> text_error = Status::NotFound("none");
  EXPECT_EQ(text_error.value_or_default(), "");
  StatusOr<int> value = 4;
  EXPECT_EQ(value.value_or_default(), 4);
  StatusOr<std::vector<int>> vector = std::vector<int>{1, 2};
  EXPECT_EQ(std::move(vector).value_or_default(), (std::vector<int>{1, 2}));
}

TEST(StatusOrTest, AndThen) {
  auto doubled = [](const StatusOr<int> &in) -> StatusOr<int> { return *in * 2; };
  StatusOr<int> value = 21;
  StatusOr<int> result = value.and_then(doubled);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 42);

  StatusOr<int> error = Status::TimedOut("late");
  bool called = false;
  StatusOr<int> error_result = error.and_then([&](const StatusOr<int> &) -> StatusOr<int> {
    called = true;
    return 0;
  });
  EXPECT_FALSE(called);
  EXPECT_FALSE(error_result.ok());
  EXPECT_EQ(error_result.code(), StatusCode::TimedOut);
  EXPECT_EQ(error_result.message(), "late");

  auto to_text = [](const StatusOr<int> &in) -> StatusOr<std::string> {
    return std::to_string(*in);
  };
  StatusOr<std::string> text = value.and_then(to_text);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "21");

  auto fails = [](const StatusOr<int> &) -> StatusOr<int> { return Status::Invalid("step"); };
  EXPECT_TRUE(value.and_then(fails).IsInvalid());
}

TEST(StatusOrTest, OrElse) {
  StatusOr<int> value = 3;
  bool called = false;
  int got = value.or_else([&](const Status &) {
    called = true;
    return -1;
  });
  EXPECT_EQ(got, 3);
  EXPECT_FALSE(called);

  StatusOr<int> error = Status::NotFound("missing");
  std::string seen;
  int fallback = error.or_else([&](const Status &s) {
    seen = s.ToString();
    return -1;
  });
  EXPECT_EQ(fallback, -1);
  EXPECT_EQ(seen, "NotFound: missing");
}

StatusOr<int> ParsePositive(int in) {
  if (in <= 0) return Status::InvalidArgument("not positive: " + std::to_string(in));
  return in;
}

Status AddParsed(int a, int b, int *out) {
  RAY_ASSIGN_OR_RETURN(int first, ParsePositive(a));
  RAY_ASSIGN_OR_RETURN(int second, ParsePositive(b));
  *out = first + second;
  return Status::OK();
}

StatusOr<std::string> Describe(int in) {
  std::unique_ptr<int> holder;
  RAY_ASSIGN_OR_RETURN(auto parsed, ParsePositive(in));
  RAY_ASSIGN_OR_RETURN(holder, StatusOr<std::unique_ptr<int>>(std::make_unique<int>(parsed)));
  return "value " + std::to_string(*holder);
}

TEST(StatusOrTest, AssignOrReturn) {
  int out = 0;
  Status ok = AddParsed(2, 3, &out);
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(out, 5);

  out = -100;
  Status first_error = AddParsed(-1, 3, &out);
  EXPECT_TRUE(first_error.IsInvalidArgument());
  EXPECT_EQ(first_error.message(), "not positive: -1");
  EXPECT_EQ(out, -100);

  Status second_error = AddParsed(1, 0, &out);
  EXPECT_EQ(second_error.ToString(), "InvalidArgument: not positive: 0");
  EXPECT_EQ(out, -100);

  StatusOr<std::string> described = Describe(4);
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(*described, "value 4");
  StatusOr<std::string> not_described = Describe(-4);
  EXPECT_TRUE(not_described.IsInvalidArgument());
}

TEST(StatusOrTest, AssignOrCheck) {
  RAY_ASSIGN_OR_CHECK(int parsed, ParsePositive(6));
  EXPECT_EQ(parsed, 6);
}

TEST(StatusOrDeathTest, AssignOrCheckAbortsOnError) {
  auto use = []() {
    RAY_ASSIGN_OR_CHECK(int parsed, ParsePositive(-2));
    (void)parsed;
  };
  EXPECT_DEATH(use(), "Status not OK: InvalidArgument: not positive: -2");
}

TEST(StatusOrTest, CopyAssignment) {
  StatusOr<std::string> value = std::string("one");
  StatusOr<std::string> target = Status::NotFound("empty");
  target = value;
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(*target, "one");
  EXPECT_EQ(*value, "one");

  StatusOr<std::string> error = Status::Invalid("err");
  target = error;
  EXPECT_FALSE(target.ok());
  EXPECT_TRUE(target.IsInvalid());

  StatusOr<std::string> other = std::string("two");
  target = other;
  StatusOr<std::string> third = std::string("three");
  target = third;
  EXPECT_EQ(*target, "three");

  StatusOr<std::string> &alias = target;
  target = alias;
  EXPECT_EQ(*target, "three");
}

TEST(StatusOrTest, MoveAssignment) {
  StatusOr<std::unique_ptr<int>> value = std::make_unique<int>(1);
  StatusOr<std::unique_ptr<int>> target = Status::NotFound("empty");
  target = std::move(value);
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(**target, 1);

  StatusOr<std::unique_ptr<int>> error = Status::Interrupted("stop");
  target = std::move(error);
  EXPECT_FALSE(target.ok());
  EXPECT_EQ(target.code(), StatusCode::Interrupted);

  StatusOr<std::unique_ptr<int>> again = std::make_unique<int>(2);
  target = std::move(again);
  StatusOr<std::unique_ptr<int>> replacement = std::make_unique<int>(3);
  target = std::move(replacement);
  EXPECT_EQ(**target, 3);
}

TEST(StatusOrTest, InPlaceConstruction) {
  StatusOr<Point> point(std::in_place, Point{4, 6});
  ASSERT_TRUE(point.ok());
  EXPECT_EQ(point->Sum(), 10);

  StatusOr<std::string> text(std::in_place, 3, 'z');
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "zzz");

  StatusOr<std::vector<int>> numbers(std::in_place, 3, 7);
  ASSERT_TRUE(numbers.ok());
  EXPECT_EQ(*numbers, (std::vector<int>{7, 7, 7}));
}

TEST(StatusOrTest, ExplicitBool) {
  static_assert(!std::is_convertible_v<StatusOr<int>, bool>,
                "the bool conversion must be explicit");
  StatusOr<int> value = 0;
  StatusOr<int> error = Status::IOError("x");
  EXPECT_TRUE(static_cast<bool>(value));
  EXPECT_FALSE(static_cast<bool>(error));
  if (value) {
    SUCCEED();
  } else {
    ADD_FAILURE() << "a StatusOr holding 0 is still ok";
  }
}

TEST(StatusOrTest, StatusAccessors) {
  StatusOr<int> value = 1;
  EXPECT_TRUE(value.status().ok());
  EXPECT_EQ(value.code(), StatusCode::OK);
  EXPECT_EQ(value.message(), "");
  EXPECT_EQ(value.ToString(), "OK");
  EXPECT_EQ(value.StatusString(), "OK");

  StatusOr<int> error = Status::RpcError("unavailable", 14);
  EXPECT_EQ(error.status().ToString(), "RpcError: unavailable rpc_code: 14");
  EXPECT_EQ(error.status().rpc_code(), 14);
  EXPECT_EQ(error.code(), StatusCode::RpcError);
  EXPECT_EQ(error.message(), "unavailable");
  EXPECT_EQ(error.ToString(), "RpcError: unavailable rpc_code: 14");
  EXPECT_EQ(error.StatusString(), error.ToString());

  Status taken = std::move(error).status();
  EXPECT_TRUE(taken.IsRpcError());
  EXPECT_EQ(taken.rpc_code(), 14);
}

TEST(StatusOrTest, PredicatesFollowTheStatus) {
  StatusOr<int> not_found = Status::NotFound("");
  StatusOr<int> invalid_argument = Status::InvalidArgument("");
  StatusOr<int> invalid = Status::Invalid("");
  StatusOr<int> denied = Status::PermissionDenied("");
  StatusOr<int> value = 1;

  EXPECT_TRUE(not_found.IsNotFound());
  EXPECT_FALSE(not_found.IsInvalid());
  EXPECT_TRUE(invalid_argument.IsInvalidArgument());
  EXPECT_FALSE(invalid_argument.IsInvalid());
  EXPECT_TRUE(invalid.IsInvalid());
  EXPECT_FALSE(invalid.IsInvalidArgument());
  EXPECT_TRUE(denied.IsPermissionDenied());
  EXPECT_FALSE(denied.IsNotFound());
  for (bool b : {value.IsNotFound(), value.IsInvalidArgument(), value.IsInvalid(),
                 value.IsPermissionDenied()}) {
    EXPECT_FALSE(b);
  }
}

TEST(StatusOrTest, ValueReferenceQualifications) {
  StatusOr<std::string> text = std::string("payload");
  std::string &ref = text.value();
  ref += "!";
  EXPECT_EQ(*text, "payload!");

  const StatusOr<std::string> &const_ref = text;
  EXPECT_EQ(const_ref.value(), "payload!");

  std::string taken = std::move(text).value();
  EXPECT_EQ(taken, "payload!");

  StatusOr<std::unique_ptr<int>> pointer = std::make_unique<int>(11);
  std::unique_ptr<int> owned = *std::move(pointer);
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 11);
}

TEST(StatusOrTest, Swap) {
  StatusOr<std::string> a = std::string("a");
  StatusOr<std::string> b = Status::NotFound("b");
  a.swap(b);
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.message(), "b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, "a");

  StatusOr<std::string> c = std::string("c");
  b.swap(c);
  EXPECT_EQ(*b, "c");
  EXPECT_EQ(*c, "a");
}

TEST(StatusOrTest, ValuesAreDestroyed) {
  Tracked::live = 0;
  {
    StatusOr<Tracked> value(std::in_place, 1);
    EXPECT_EQ(Tracked::live, 1);
    StatusOr<Tracked> copy = value;
    EXPECT_EQ(Tracked::live, 2);
    copy = StatusOr<Tracked>(Status::NotFound("gone"));
    EXPECT_EQ(Tracked::live, 1);
    StatusOr<Tracked> error = Status::Invalid("never a value");
    EXPECT_EQ(Tracked::live, 1);
  }
  EXPECT_EQ(Tracked::live, 0);
}

// Counts default constructions and destructions of a default-constructible
// type.
struct Counted {
  static int constructed;
  static int live;
  int value = 5;
  Counted() {
    ++constructed;
    ++live;
  }
  Counted(const Counted &other) : value(other.value) { ++live; }
  Counted &operator=(const Counted &) = default;
  ~Counted() { --live; }
};
int Counted::constructed = 0;
int Counted::live = 0;

TEST(StatusOrTest, DefaultConstructedReportsOk) {
  StatusOr<int> number;
  EXPECT_TRUE(number.ok());
  EXPECT_TRUE(static_cast<bool>(number));
  EXPECT_TRUE(number.status().ok());
  EXPECT_EQ(number.code(), StatusCode::OK);
  EXPECT_EQ(number.message(), "");
  EXPECT_EQ(number.ToString(), "OK");
  EXPECT_EQ(number.StatusString(), "OK");
  // The value is a value-initialised T (Ray leaves it unconstructed).
  EXPECT_EQ(number.value(), 0);
  EXPECT_EQ(number.value_or(9), 0);
  EXPECT_EQ(number, StatusOr<int>(0));

  StatusOr<std::string> text;
  EXPECT_TRUE(text.ok());
  EXPECT_EQ(*text, "");
  text->append("set later");
  EXPECT_EQ(text.value(), "set later");

  StatusOr<std::vector<int>> list{};
  EXPECT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST(StatusOrTest, DefaultConstructedValueIsConstructedAndDestroyedOnce) {
  Counted::constructed = 0;
  Counted::live = 0;
  {
    StatusOr<Counted> counted;
    EXPECT_EQ(Counted::constructed, 1);
    EXPECT_EQ(Counted::live, 1);
    EXPECT_EQ(counted->value, 5);
    counted = StatusOr<Counted>(Status::NotFound("now an error"));
    EXPECT_EQ(Counted::live, 0);
    EXPECT_TRUE(counted.IsNotFound());
  }
  EXPECT_EQ(Counted::live, 0);
  {
    StatusOr<Counted> kept;
    EXPECT_EQ(Counted::live, 1);
  }
  EXPECT_EQ(Counted::live, 0);
  // Types without a default constructor have no default StatusOr.
  static_assert(!std::is_default_constructible_v<StatusOr<Tracked>>);
  static_assert(std::is_default_constructible_v<StatusOr<Counted>>);
}

TEST(StatusOrTest, AndThenOnAMutableLvalue) {
  StatusOr<int> value = 1;
  StatusOr<int> result = value.and_then([](StatusOr<int> &self) -> StatusOr<int> {
    *self += 1;
    return *self * 10;
  });
  EXPECT_EQ(*value, 2);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 20);

  StatusOr<int> error = Status::Invalid("bad");
  bool called = false;
  StatusOr<std::string> text = error.and_then([&](StatusOr<int> &) -> StatusOr<std::string> {
    called = true;
    return std::string("never");
  });
  EXPECT_FALSE(called);
  EXPECT_TRUE(text.IsInvalid());
  EXPECT_EQ(text.message(), "bad");
}

// Records whether it was copied from a mutable or a const object.
struct CopySource {
  bool from_mutable = false;
  CopySource() = default;
  CopySource(CopySource &) : from_mutable(true) {}
  CopySource(const CopySource &) : from_mutable(false) {}
  CopySource(CopySource &&) = default;
  CopySource &operator=(const CopySource &) = default;
};

TEST(StatusOrTest, OrElseOnAMutableLvalue) {
  StatusOr<CopySource> value{std::in_place};
  auto fallback = [](const Status &) { return CopySource(); };
  EXPECT_TRUE(value.or_else(fallback).from_mutable);
  const StatusOr<CopySource> &as_const = value;
  EXPECT_FALSE(as_const.or_else(fallback).from_mutable);

  StatusOr<int> error = Status::TimedOut("late");
  std::string seen;
  int got = error.or_else([&](const Status &s) {
    seen = s.ToString();
    return -7;
  });
  EXPECT_EQ(got, -7);
  EXPECT_EQ(seen, "TimedOut: late");
  EXPECT_EQ(error.code(), StatusCode::TimedOut);
}

TEST(StatusOrDeathTest, ValueOfErrorIsFatal) {
  StatusOr<int> error = Status::NotFound("no value here");
  EXPECT_DEATH(
      {
        int v = error.value();
        (void)v;
      },
      "Check failed: ok\\(\\).*NotFound: no value here");
  const StatusOr<std::string> const_error = Status::Invalid("const");
  EXPECT_DEATH(
      {
        std::string v = const_error.value();
        (void)v;
      },
      "Check failed: ok\\(\\).*Invalid: const");
  EXPECT_DEATH(
      {
        int v = *error;
        (void)v;
      },
      "Check failed: ok\\(\\)");
  EXPECT_DEATH(
      {
        StatusOr<Point> point = Status::KeyError("p");
        int x = point->x;
        (void)x;
      },
      "Check failed: ok\\(\\)");
  EXPECT_DEATH(
      {
        StatusOr<std::string> moved = Status::TimedOut("t");
        std::string v = std::move(moved).value();
        (void)v;
      },
      "Check failed: ok\\(\\)");
}

}  // namespace
}  // namespace ray
