#include "ray/common/status.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "ray/common/implementation.h"

namespace ray {
namespace {

TEST(RayCommonImplementationTest, LinkedImplementationIsTheSelectedOne) {
  EXPECT_STREQ(ray::RayCommonImplementation(), RAY_COMMON_EXPECTED_IMPL);
}

int CodeValue(StatusCode code) { return static_cast<int>(static_cast<char>(code)); }

StatusCode CodeFromValue(int value) {
  return static_cast<StatusCode>(static_cast<char>(value));
}

// CodeAsString() of every value that has a name (Ray 2.60.0).
const std::map<int, std::string> &NamedCodes() {
  static const std::map<int, std::string> codes = {
      {0, "OK"},
      {1, "Out of memory"},
      {2, "Key error"},
      {3, "Type error"},
      {4, "Invalid"},
      {5, "IOError"},
      {9, "Unknown error"},
      {10, "NotImplemented"},
      {11, "RedisError"},
      {12, "TimedOut"},
      {13, "Interrupted"},
      {14, "IntentionalSystemExit"},
      {15, "UnexpectedSystemExit"},
      {16, "CreationTaskError"},
      {17, "NotFound"},
      {18, "Disconnected"},
      {19, "SchedulingCancelled"},
      {20, "AlreadyExists"},
      {21, "ObjectExists"},
      {22, "ObjectNotFound"},
      {23, "ObjectAlreadySealed"},
      {24, "ObjectStoreFull"},
      {25, "TransientObjectStoreFull"},
      {28, "OutOfDisk"},
      {29, "ObjectUnknownOwner"},
      {30, "RpcError"},
      {31, "OutOfResource"},
      {32, "ObjectRefEndOfStream"},
      {33, "Unauthenticated"},
      {34, "InvalidArgument"},
      {35, "ChannelError"},
      {36, "ChannelTimeoutError"},
      {37, "PermissionDenied"},
      {38, "GcsPassive"},
  };
  return codes;
}

using Predicate = bool (Status::*)() const;

struct FactoryCase {
  const char *name;
  StatusCode code;
  Status (*make)(const std::string &);
  Predicate is;
};

#define STATUS_TEST_FACTORY(NAME)                                                    \
  FactoryCase{#NAME, StatusCode::NAME,                                               \
              [](const std::string &m) { return Status::NAME(m); }, &Status::Is##NAME}

const std::vector<FactoryCase> &Factories() {
  static const std::vector<FactoryCase> factories = {
      STATUS_TEST_FACTORY(OutOfMemory),
      STATUS_TEST_FACTORY(KeyError),
      STATUS_TEST_FACTORY(ObjectRefEndOfStream),
      STATUS_TEST_FACTORY(TypeError),
      STATUS_TEST_FACTORY(UnknownError),
      STATUS_TEST_FACTORY(NotImplemented),
      STATUS_TEST_FACTORY(Invalid),
      STATUS_TEST_FACTORY(IOError),
      STATUS_TEST_FACTORY(InvalidArgument),
      STATUS_TEST_FACTORY(RedisError),
      STATUS_TEST_FACTORY(TimedOut),
      STATUS_TEST_FACTORY(Interrupted),
      STATUS_TEST_FACTORY(IntentionalSystemExit),
      STATUS_TEST_FACTORY(UnexpectedSystemExit),
      STATUS_TEST_FACTORY(CreationTaskError),
      STATUS_TEST_FACTORY(NotFound),
      STATUS_TEST_FACTORY(Disconnected),
      STATUS_TEST_FACTORY(SchedulingCancelled),
      STATUS_TEST_FACTORY(AlreadyExists),
      STATUS_TEST_FACTORY(ObjectExists),
      STATUS_TEST_FACTORY(ObjectNotFound),
      STATUS_TEST_FACTORY(ObjectUnknownOwner),
      STATUS_TEST_FACTORY(ObjectAlreadySealed),
      STATUS_TEST_FACTORY(ObjectStoreFull),
      STATUS_TEST_FACTORY(TransientObjectStoreFull),
      STATUS_TEST_FACTORY(OutOfDisk),
      FactoryCase{"RpcError", StatusCode::RpcError,
                  [](const std::string &m) { return Status::RpcError(m, -1); },
                  &Status::IsRpcError},
      STATUS_TEST_FACTORY(OutOfResource),
      STATUS_TEST_FACTORY(Unauthenticated),
      STATUS_TEST_FACTORY(ChannelError),
      STATUS_TEST_FACTORY(ChannelTimeoutError),
      STATUS_TEST_FACTORY(PermissionDenied),
      STATUS_TEST_FACTORY(GcsPassive),
  };
  return factories;
}

#undef STATUS_TEST_FACTORY

TEST(StatusTest, CopyAndMoveForOkStatus) {
  Status ok = Status::OK();

  Status copied(ok);
  EXPECT_TRUE(copied.ok());
  EXPECT_TRUE(ok.ok());

  Status copy_assigned = Status::Invalid("to be replaced");
  copy_assigned = ok;
  EXPECT_TRUE(copy_assigned.ok());
  EXPECT_TRUE(ok.ok());

  Status moved(std::move(copied));
  EXPECT_TRUE(moved.ok());

  Status move_assigned = Status::IOError("to be replaced");
  move_assigned = std::move(copy_assigned);
  EXPECT_TRUE(move_assigned.ok());
}

TEST(StatusTest, CopyAndMoveErrorStatus) {
  Status error = Status::Invalid("bad input");

  Status copied(error);
  EXPECT_TRUE(copied.IsInvalid());
  EXPECT_EQ(copied.code(), StatusCode::Invalid);
  EXPECT_EQ(copied.message(), "bad input");
  EXPECT_TRUE(error.IsInvalid());

  Status copy_assigned = Status::OK();
  copy_assigned = error;
  EXPECT_TRUE(copy_assigned.IsInvalid());
  EXPECT_EQ(copy_assigned.message(), "bad input");
  EXPECT_TRUE(error.IsInvalid());

  Status moved(std::move(copied));
  EXPECT_TRUE(moved.IsInvalid());
  EXPECT_EQ(moved.message(), "bad input");

  Status move_assigned = Status::OK();
  move_assigned = std::move(copy_assigned);
  EXPECT_TRUE(move_assigned.IsInvalid());
  EXPECT_EQ(move_assigned.code(), StatusCode::Invalid);
}

TEST(StatusTest, CopyIsDeep) {
  Status original = Status::KeyError("k");
  Status copy = original;
  copy << "-appended";
  EXPECT_EQ(original.message(), "k");
  EXPECT_EQ(copy.message(), "k-appended");

  Status assigned = Status::NotFound("other");
  assigned = original;
  assigned << "!";
  EXPECT_EQ(original.ToString(), "Key error: k");
  EXPECT_EQ(assigned.ToString(), "Key error: k!");
}

TEST(StatusTest, MovedFromStatusIsOk) {
  Status source = Status::RpcError("unreachable", 14);
  Status target(std::move(source));
  EXPECT_TRUE(source.ok());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(source.code(), StatusCode::OK);
  EXPECT_EQ(source.message(), "");
  EXPECT_EQ(source.rpc_code(), -1);
  EXPECT_EQ(source.ToString(), "OK");
  EXPECT_EQ(target.ToString(), "RpcError: unreachable rpc_code: 14");

  Status assigned = Status::Invalid("x");
  assigned = std::move(target);
  EXPECT_TRUE(target.ok());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(assigned.rpc_code(), 14);
  EXPECT_TRUE(assigned.IsRpcError());
}

TEST(StatusTest, SelfAssignmentKeepsValue) {
  Status s = Status::TimedOut("slow");
  Status &alias = s;
  s = alias;
  EXPECT_EQ(s.ToString(), "TimedOut: slow");
}

TEST(StatusTest, StringToCode) {
  Status ok = Status::OK();
  EXPECT_EQ(Status::StringToCode(ok.CodeAsString()), StatusCode::OK);
  Status invalid = Status::Invalid("invalid");
  EXPECT_EQ(Status::StringToCode(invalid.CodeAsString()), StatusCode::Invalid);
  Status full = Status::TransientObjectStoreFull("full");
  EXPECT_EQ(Status::StringToCode(full.CodeAsString()), StatusCode::TransientObjectStoreFull);
  EXPECT_EQ(Status::StringToCode("foobar"), StatusCode::IOError);
}

TEST(StatusTest, StringToCodeOfEveryNamedString) {
  for (const auto &entry : NamedCodes()) {
    EXPECT_EQ(CodeValue(Status::StringToCode(entry.second)), entry.first) << entry.second;
  }
}

TEST(StatusTest, StringToCodeRoundTripsEveryNamedCode) {
  for (const auto &entry : NamedCodes()) {
    if (entry.first == 0) continue;
    Status s(CodeFromValue(entry.first), "m");
    EXPECT_EQ(CodeValue(Status::StringToCode(s.CodeAsString())), entry.first) << entry.second;
  }
}

TEST(StatusTest, StringToCodeOfUnmappedStringsIsIOError) {
  const std::vector<std::string> unmapped = {
      "",
      "Unknown",
      "KeyError",
      "AuthError",
      "GrpcUnavailable",
      "GrpcUnknown",
      "Unavailable",
      "OutOfMemory",
      "UnknownError",
      "TypeError",
      "ok",
      "invalid",
      "INVALID",
      "Out of Memory",
      " OK",
      "OK ",
      "Invalid\n",
      std::string("Invalid\0", 8),
      "Unauthenticated: x",
      "NotFound!",
      "Inv\xC3\xA1lid",
      "\xC3\x9Cnknown",
      "\xE7\x84\xA1\xE5\x8A\xB9",
      "\xFF\xFE",
      "foobar",
  };
  for (const std::string &s : unmapped) {
    EXPECT_EQ(Status::StringToCode(s), StatusCode::IOError) << "input: '" << s << "'";
  }
}

TEST(StatusTest, StringToCodeIsNotTheInverseForUnnamedCodes) {
  for (int v : {6, 7, 8, 26, 27, 39, 100, -1, -128}) {
    Status s(CodeFromValue(v), "m");
    EXPECT_EQ(s.CodeAsString(), "Unknown");
    EXPECT_EQ(Status::StringToCode(s.CodeAsString()), StatusCode::IOError) << v;
  }
}

TEST(StatusTest, StatusCodeUnderlyingTypeAndValues) {
  static_assert(std::is_same_v<std::underlying_type_t<StatusCode>, char>,
                "StatusCode must be backed by char");
  static_assert(sizeof(StatusCode) == 1, "StatusCode must be one byte");
  EXPECT_EQ(CodeValue(StatusCode::OK), 0);
  EXPECT_EQ(CodeValue(StatusCode::OutOfMemory), 1);
  EXPECT_EQ(CodeValue(StatusCode::KeyError), 2);
  EXPECT_EQ(CodeValue(StatusCode::TypeError), 3);
  EXPECT_EQ(CodeValue(StatusCode::Invalid), 4);
  EXPECT_EQ(CodeValue(StatusCode::IOError), 5);
  EXPECT_EQ(CodeValue(StatusCode::UnknownError), 9);
  EXPECT_EQ(CodeValue(StatusCode::NotImplemented), 10);
  EXPECT_EQ(CodeValue(StatusCode::RedisError), 11);
  EXPECT_EQ(CodeValue(StatusCode::TimedOut), 12);
  EXPECT_EQ(CodeValue(StatusCode::Interrupted), 13);
  EXPECT_EQ(CodeValue(StatusCode::IntentionalSystemExit), 14);
  EXPECT_EQ(CodeValue(StatusCode::UnexpectedSystemExit), 15);
  EXPECT_EQ(CodeValue(StatusCode::CreationTaskError), 16);
  EXPECT_EQ(CodeValue(StatusCode::NotFound), 17);
  EXPECT_EQ(CodeValue(StatusCode::Disconnected), 18);
  EXPECT_EQ(CodeValue(StatusCode::SchedulingCancelled), 19);
  EXPECT_EQ(CodeValue(StatusCode::AlreadyExists), 20);
  EXPECT_EQ(CodeValue(StatusCode::ObjectExists), 21);
  EXPECT_EQ(CodeValue(StatusCode::ObjectNotFound), 22);
  EXPECT_EQ(CodeValue(StatusCode::ObjectAlreadySealed), 23);
  EXPECT_EQ(CodeValue(StatusCode::ObjectStoreFull), 24);
  EXPECT_EQ(CodeValue(StatusCode::TransientObjectStoreFull), 25);
  EXPECT_EQ(CodeValue(StatusCode::OutOfDisk), 28);
  EXPECT_EQ(CodeValue(StatusCode::ObjectUnknownOwner), 29);
  EXPECT_EQ(CodeValue(StatusCode::RpcError), 30);
  EXPECT_EQ(CodeValue(StatusCode::OutOfResource), 31);
  EXPECT_EQ(CodeValue(StatusCode::ObjectRefEndOfStream), 32);
  EXPECT_EQ(CodeValue(StatusCode::Unauthenticated), 33);
  EXPECT_EQ(CodeValue(StatusCode::InvalidArgument), 34);
  EXPECT_EQ(CodeValue(StatusCode::ChannelError), 35);
  EXPECT_EQ(CodeValue(StatusCode::ChannelTimeoutError), 36);
  EXPECT_EQ(CodeValue(StatusCode::PermissionDenied), 37);
  EXPECT_EQ(CodeValue(StatusCode::GcsPassive), 38);
}

TEST(StatusTest, EveryFactoryMatchesExactlyItsPredicate) {
  for (const FactoryCase &factory : Factories()) {
    Status s = factory.make("message of " + std::string(factory.name));
    EXPECT_FALSE(s.ok()) << factory.name;
    EXPECT_EQ(s.code(), factory.code) << factory.name;
    EXPECT_EQ(s.message(), "message of " + std::string(factory.name));
    EXPECT_EQ(s.rpc_code(), -1) << factory.name;
    for (const FactoryCase &other : Factories()) {
      EXPECT_EQ((s.*(other.is))(), &other == &factory)
          << factory.name << " checked with Is" << other.name;
    }
  }
}

TEST(StatusTest, PredicatesAreFalseForOk) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  for (const FactoryCase &factory : Factories()) {
    EXPECT_FALSE((ok.*(factory.is))()) << factory.name;
  }
}

TEST(StatusTest, PredicatesFollowTheCodeOfAConstructedStatus) {
  for (const FactoryCase &factory : Factories()) {
    Status s(factory.code, "m", 3);
    EXPECT_TRUE((s.*(factory.is))()) << factory.name;
    EXPECT_EQ(s.rpc_code(), 3);
  }
}

TEST(StatusTest, OkAccessors) {
  for (const Status &ok : {Status(), Status::OK()}) {
    EXPECT_TRUE(ok.ok());
    EXPECT_EQ(ok.code(), StatusCode::OK);
    EXPECT_EQ(ok.message(), "");
    EXPECT_EQ(ok.rpc_code(), -1);
    EXPECT_EQ(ok.CodeAsString(), "OK");
    EXPECT_EQ(ok.ToString(), "OK");
    EXPECT_EQ(ok.StatusString(), "OK");
  }
}

TEST(StatusTest, CodeAsStringForEveryCharValue) {
  int checked = 0;
  for (int v = -128; v <= 127; ++v) {
    if (v == 0) continue;
    Status s(CodeFromValue(v), "msg");
    auto it = NamedCodes().find(v);
    const std::string expected = it == NamedCodes().end() ? "Unknown" : it->second;
    EXPECT_FALSE(s.ok()) << v;
    EXPECT_EQ(CodeValue(s.code()), v);
    EXPECT_EQ(s.CodeAsString(), expected) << "value " << v;
    std::string expected_text = expected + ": msg";
    if (v == 30) expected_text += " rpc_code: -1";
    EXPECT_EQ(s.ToString(), expected_text) << "value " << v;
    ++checked;
  }
  EXPECT_EQ(checked, 255);
}

TEST(StatusTest, StringsWithSpacesDifferFromEnumeratorNames) {
  EXPECT_EQ(Status::OutOfMemory("").CodeAsString(), "Out of memory");
  EXPECT_EQ(Status::KeyError("").CodeAsString(), "Key error");
  EXPECT_EQ(Status::TypeError("").CodeAsString(), "Type error");
  EXPECT_EQ(Status::UnknownError("").CodeAsString(), "Unknown error");
  EXPECT_EQ(Status::Unauthenticated("").CodeAsString(), "Unauthenticated");
  EXPECT_EQ(Status::GcsPassive("").CodeAsString(), "GcsPassive");
}

TEST(StatusTest, ExplicitOkCodeConstructorQuirk) {
  Status s(StatusCode::OK, "m");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::OK);
  EXPECT_EQ(s.CodeAsString(), "OK");
  EXPECT_EQ(s.ToString(), "OK: m");
  EXPECT_EQ(s.message(), "m");
  EXPECT_EQ(s.rpc_code(), -1);
  EXPECT_FALSE(s.IsInvalid());
}

TEST(StatusTest, ToStringFormats) {
  EXPECT_EQ(Status::KeyError("key not found").ToString(), "Key error: key not found");
  EXPECT_EQ(Status::Invalid("").ToString(), "Invalid: ");
  EXPECT_EQ(Status::IOError("multi\nline").ToString(), "IOError: multi\nline");
  EXPECT_EQ(Status::NotFound("x: y").ToString(), "NotFound: x: y");
  EXPECT_EQ(Status::OutOfMemory("oom").ToString(), "Out of memory: oom");
  EXPECT_EQ(Status::UnknownError("u").ToString(), "Unknown error: u");
  EXPECT_EQ(Status::Unauthenticated("bad token").ToString(), "Unauthenticated: bad token");
  EXPECT_EQ(Status::PermissionDenied("p").ToString(), "PermissionDenied: p");
  EXPECT_EQ(Status::GcsPassive("g").ToString(), "GcsPassive: g");
  EXPECT_EQ(Status(CodeFromValue(6), "gap").ToString(), "Unknown: gap");
  EXPECT_EQ(Status(CodeFromValue(26), "old GrpcUnavailable value").ToString(),
            "Unknown: old GrpcUnavailable value");
  EXPECT_EQ(Status(CodeFromValue(38), "past end").ToString(), "GcsPassive: past end");
}

TEST(StatusTest, ToStringRpcCodeSuffixOnlyForRpcError) {
  EXPECT_EQ(Status::RpcError("connection refused", 14).ToString(),
            "RpcError: connection refused rpc_code: 14");
  EXPECT_EQ(Status::RpcError("m", 0).ToString(), "RpcError: m rpc_code: 0");
  EXPECT_EQ(Status::RpcError("m", -1).ToString(), "RpcError: m rpc_code: -1");
  EXPECT_EQ(Status::RpcError("m", -2147483647 - 1).ToString(),
            "RpcError: m rpc_code: -2147483648");
  EXPECT_EQ(Status::RpcError("", 2147483647).ToString(), "RpcError:  rpc_code: 2147483647");
  EXPECT_EQ(Status(StatusCode::RpcError, "m").ToString(), "RpcError: m rpc_code: -1");

  Status invalid(StatusCode::Invalid, "m", 7);
  EXPECT_EQ(invalid.rpc_code(), 7);
  EXPECT_EQ(invalid.ToString(), "Invalid: m");
  EXPECT_EQ(Status::RpcError("m", 14).rpc_code(), 14);
}

TEST(StatusTest, ToStringWithSourceLocation) {
  EXPECT_EQ(Status(StatusCode::IOError, "disk", SourceLocation("src/foo.cc", 123)).ToString(),
            "IOError: disk at src/foo.cc:123");
  EXPECT_EQ(Status(StatusCode::RpcError, "m", SourceLocation("f.cc", 1), 2).ToString(),
            "RpcError: m rpc_code: 2 at f.cc:1");
  EXPECT_EQ(Status(StatusCode::Invalid, "m", SourceLocation("", 5)).ToString(), "Invalid: m");
  EXPECT_EQ(Status(StatusCode::Invalid, "m", SourceLocation("x", 0)).ToString(),
            "Invalid: m at x:0");
  EXPECT_EQ(Status(StatusCode::NotFound, "m", SourceLocation()).ToString(), "NotFound: m");

  Status with_location(StatusCode::Invalid, "m", SourceLocation("a.cc", 9), 5);
  EXPECT_EQ(with_location.rpc_code(), 5);
  EXPECT_EQ(with_location.message(), "m");
  Status copy = with_location;
  EXPECT_EQ(copy.ToString(), "Invalid: m at a.cc:9");
}

TEST(StatusTest, ToStringWithRayLoc) {
  const int line = __LINE__ + 1;
  Status s(StatusCode::TimedOut, "late", RAY_LOC());
  EXPECT_EQ(s.ToString(),
            std::string("TimedOut: late at ") + __FILE__ + ":" + std::to_string(line));
}

TEST(StatusTest, StatusStringAndStreamEqualToString) {
  std::vector<Status> statuses = {Status::OK(), Status::Invalid("i"), Status::RpcError("r", 4),
                                  Status(StatusCode::IOError, "d", SourceLocation("z.cc", 2)),
                                  Status(CodeFromValue(-5), "neg")};
  for (const Status &s : statuses) {
    EXPECT_EQ(s.StatusString(), s.ToString());
    std::ostringstream os;
    os << s;
    EXPECT_EQ(os.str(), s.ToString());
  }
  std::ostringstream os;
  os << "[" << Status::NotFound("nf") << "]";
  EXPECT_EQ(os.str(), "[NotFound: nf]");
}

TEST(StatusTest, MessageIsCopiedVerbatim) {
  const std::string binary("a\0b\xff", 4);
  Status s = Status::IOError(binary);
  EXPECT_EQ(s.message(), binary);
  EXPECT_EQ(s.ToString(), "IOError: " + binary);
  const std::string utf8 = "\xE2\x9C\x93 done \xF0\x9F\x9A\x80";
  EXPECT_EQ(Status::Invalid(utf8).message(), utf8);
  const std::string long_message(100000, 'x');
  EXPECT_EQ(Status::NotFound(long_message).message(), long_message);
}

TEST(StatusTest, AppendOperator) {
  Status s = Status::Invalid("a") << "b" << 3;
  EXPECT_EQ(s.message(), "ab3");
  EXPECT_EQ(s.ToString(), "Invalid: ab3");
  EXPECT_TRUE(s.IsInvalid());

  Status t = Status::NotFound("n");
  t << std::string("-str") << '-' << -42 << " " << 7u << " " << 123456789012345LL;
  EXPECT_EQ(t.message(), "n-str--42 7 123456789012345");

  Status rpc = Status::RpcError("r", 9);
  rpc << " more";
  EXPECT_EQ(rpc.ToString(), "RpcError: r more rpc_code: 9");
  EXPECT_EQ(rpc.rpc_code(), 9);

  Status located(StatusCode::IOError, "x", SourceLocation("l.cc", 3));
  located << "y";
  EXPECT_EQ(located.ToString(), "IOError: xy at l.cc:3");
}

TEST(StatusTest, AppendOperatorReturnsSameObject) {
  Status s = Status::KeyError("k");
  Status &ref = (s << "1");
  EXPECT_EQ(&ref, &s);
  ref << 2;
  EXPECT_EQ(s.message(), "k12");
}

Status ReturnIfError(const Status &input, int *reached) {
  RAY_RETURN_NOT_OK(input);
  ++*reached;
  return Status::OK();
}

Status ReturnTwoSteps(Status first, Status second, std::vector<int> *trace) {
  trace->push_back(1);
  RAY_RETURN_NOT_OK(first);
  trace->push_back(2);
  RAY_RETURN_NOT_OK(second);
  trace->push_back(3);
  return Status::OK();
}

TEST(StatusTest, ReturnNotOk) {
  int reached = 0;
  EXPECT_TRUE(ReturnIfError(Status::OK(), &reached).ok());
  EXPECT_EQ(reached, 1);

  Status result = ReturnIfError(Status::RpcError("down", 14), &reached);
  EXPECT_EQ(reached, 1);
  EXPECT_EQ(result.ToString(), "RpcError: down rpc_code: 14");

  std::vector<int> trace;
  Status second = ReturnTwoSteps(Status::OK(), Status::NotFound("second"), &trace);
  EXPECT_EQ(second.ToString(), "NotFound: second");
  EXPECT_EQ(trace, (std::vector<int>{1, 2}));

  trace.clear();
  EXPECT_TRUE(ReturnTwoSteps(Status::OK(), Status::OK(), &trace).ok());
  EXPECT_EQ(trace, (std::vector<int>{1, 2, 3}));
}

Status CountedCall(int *calls, Status result) {
  ++*calls;
  return result;
}

Status ReturnNotOkOfCall(int *calls) {
  RAY_RETURN_NOT_OK(CountedCall(calls, Status::Interrupted("stop")));
  return Status::OK();
}

TEST(StatusTest, ReturnNotOkEvaluatesOnce) {
  int calls = 0;
  Status s = ReturnNotOkOfCall(&calls);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(s.IsInterrupted());
  EXPECT_EQ(s.message(), "stop");
}

TEST(StatusTest, CheckOkPassesForOk) {
  RAY_CHECK_OK(Status::OK());
  RAY_CHECK_OK(Status());
  SUCCEED();
}

TEST(StatusDeathTest, CheckOkAbortsWithStatusText) {
  EXPECT_DEATH(RAY_CHECK_OK(Status::Invalid("boom")), "Status not OK: Invalid: boom");
  EXPECT_DEATH(RAY_CHECK_OK(Status::RpcError("gone", 14)),
               "Status not OK: RpcError: gone rpc_code: 14");
}

TEST(StatusTest, CheckOkStreamsOnlyOnFailure) {
  int streamed = 0;
  auto note = [&streamed]() {
    ++streamed;
    return "note";
  };
  int calls = 0;
  RAY_CHECK_OK(CountedCall(&calls, Status::OK())) << note() << " " << 42;
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(streamed, 0);
}

TEST(StatusDeathTest, CheckOkStreamedMessage) {
  EXPECT_DEATH(RAY_CHECK_OK(Status::Invalid("boom")) << "while " << 3 << " tries",
               "Check failed: Status::Invalid\\(\"boom\"\\) Status not OK: Invalid: boom "
               "while 3 tries");
  const Status gone = Status::RpcError("gone", 14);
  EXPECT_DEATH(RAY_CHECK_OK(gone) << "rpc", "Check failed: gone Status not OK: RpcError: gone "
                                            "rpc_code: 14 rpc");
}

TEST(StatusTest, GoldenExamples) {
  struct Example {
    Status status;
    bool ok;
    int code;
    const char *code_as_string;
    const char *message;
    int rpc_code;
    const char *to_string;
  };
  Status appended = Status::Invalid("a") << "b" << 3;
  Status copy_of_appended(appended);
  Status moved_source(appended);
  Status moved_target(std::move(moved_source));
  const std::vector<Example> examples = {
      {Status::OK(), true, 0, "OK", "", -1, "OK"},
      {Status(), true, 0, "OK", "", -1, "OK"},
      {Status::KeyError("key not found"), false, 2, "Key error", "key not found", -1,
       "Key error: key not found"},
      {Status::Invalid(""), false, 4, "Invalid", "", -1, "Invalid: "},
      {Status::RpcError("connection refused", 14), false, 30, "RpcError",
       "connection refused", 14, "RpcError: connection refused rpc_code: 14"},
      {Status(StatusCode::IOError, "disk", SourceLocation("src/foo.cc", 123)), false, 5,
       "IOError", "disk", -1, "IOError: disk at src/foo.cc:123"},
      {Status(CodeFromValue(6), "gap"), false, 6, "Unknown", "gap", -1, "Unknown: gap"},
      {appended, false, 4, "Invalid", "ab3", -1, "Invalid: ab3"},
      {copy_of_appended, false, 4, "Invalid", "ab3", -1, "Invalid: ab3"},
      {moved_target, false, 4, "Invalid", "ab3", -1, "Invalid: ab3"},
      {moved_source, true, 0, "OK", "", -1, "OK"},  // NOLINT(bugprone-use-after-move)
  };
  for (const Example &e : examples) {
    SCOPED_TRACE(e.to_string);
    EXPECT_EQ(e.status.ok(), e.ok);
    EXPECT_EQ(CodeValue(e.status.code()), e.code);
    EXPECT_EQ(e.status.CodeAsString(), e.code_as_string);
    EXPECT_EQ(e.status.message(), e.message);
    EXPECT_EQ(e.status.rpc_code(), e.rpc_code);
    EXPECT_EQ(e.status.ToString(), e.to_string);
  }
}

TEST(StatusTTest, ToStringFormat) {
  EXPECT_EQ(StatusT::OK().ToString(), "StatusT: OK, Message: ");
  EXPECT_EQ(StatusT::OutOfMemory("oom").ToString(), "StatusT: OutOfMemory, Message: oom");
  EXPECT_EQ(StatusT::KeyError("k").ToString(), "StatusT: KeyError, Message: k");
  EXPECT_EQ(StatusT::IOError("io").ToString(), "StatusT: IOError, Message: io");
  EXPECT_EQ(StatusT::Invalid("i").ToString(), "StatusT: Invalid, Message: i");
  EXPECT_EQ(StatusT::NotFound("nf").ToString(), "StatusT: NotFound, Message: nf");
  EXPECT_EQ(StatusT::PermissionDenied("p").ToString(), "StatusT: PermissionDenied, Message: p");
  EXPECT_EQ(StatusT::InvalidArgument("a").ToString(), "StatusT: InvalidArgument, Message: a");
  EXPECT_EQ(StatusT::AlreadyExists("e").ToString(), "StatusT: AlreadyExists, Message: e");
  EXPECT_EQ(StatusT::NotFound("nf").message(), "nf");
  StatusT::IOError editable("disk");
  editable.message() += " full";
  EXPECT_EQ(editable.message(), "disk full");
  EXPECT_EQ(editable.ToString(), "StatusT: IOError, Message: disk full");
  static_assert(std::is_same_v<decltype(editable.message()), std::string &>);
  const StatusT::IOError &read_only = editable;
  static_assert(std::is_same_v<decltype(read_only.message()), const std::string &>);
}

StatusSet<StatusT::OutOfMemory, StatusT::IOError> AllocateOrRead(int mode) {
  if (mode == 0) return StatusT::OK();
  if (mode == 1) return StatusT::OutOfMemory("no memory left");
  return StatusT::IOError("read failed");
}

TEST(StatusSetTest, TestStatusSetAPI) {
  auto failed = AllocateOrRead(1);
  EXPECT_TRUE(failed.has_error());
  EXPECT_FALSE(failed.ok());
  bool visited_oom = false;
  std::visit(overloaded{[&](const StatusT::OutOfMemory &e) {
                          visited_oom = true;
                          EXPECT_EQ(e.message(), "no memory left");
                        },
                        [&](const StatusT::IOError &) { ADD_FAILURE() << "wrong alternative"; }},
             failed.error());
  EXPECT_TRUE(visited_oom);

  auto io = AllocateOrRead(2);
  ASSERT_TRUE(io.has_error());
  EXPECT_TRUE(std::holds_alternative<StatusT::IOError>(io.error()));
  EXPECT_EQ(std::get<StatusT::IOError>(io.error()).ToString(),
            "StatusT: IOError, Message: read failed");

  auto ok = AllocateOrRead(0);
  EXPECT_TRUE(ok.ok());
  EXPECT_FALSE(ok.has_error());
}

StatusSetOr<int, StatusT::NotFound, StatusT::PermissionDenied> Lookup(int key) {
  if (key == 0) return StatusT::NotFound("no such key");
  if (key < 0) return StatusT::PermissionDenied("negative");
  return 100;
}

TEST(StatusSetOrTest, TestStatusSetOrAPI) {
  auto missing = Lookup(0);
  EXPECT_TRUE(missing.has_error());
  EXPECT_FALSE(missing.has_value());
  std::string seen;
  std::visit(overloaded{[&](const StatusT::NotFound &e) { seen = "nf:" + e.message(); },
                        [&](const StatusT::PermissionDenied &e) { seen = "pd:" + e.message(); }},
             missing.error());
  EXPECT_EQ(seen, "nf:no such key");

  auto denied = Lookup(-1);
  ASSERT_TRUE(denied.has_error());
  EXPECT_TRUE(std::holds_alternative<StatusT::PermissionDenied>(denied.error()));

  auto found = Lookup(7);
  EXPECT_TRUE(found.has_value());
  EXPECT_FALSE(found.has_error());
  EXPECT_EQ(found.value(), 100);
}

TEST(StatusSetOrTest, HoldsMoveOnlyAndStringValues) {
  StatusSetOr<std::string, StatusT::Invalid> text = std::string("hello");
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text.value(), "hello");
  std::string taken = std::move(text).value();
  EXPECT_EQ(taken, "hello");

  StatusSetOr<std::unique_ptr<int>, StatusT::Invalid> pointer = std::make_unique<int>(5);
  ASSERT_TRUE(pointer.has_value());
  EXPECT_EQ(*pointer.value(), 5);

  StatusSetOr<std::unique_ptr<int>, StatusT::Invalid> invalid = StatusT::Invalid("no");
  ASSERT_TRUE(invalid.has_error());
  EXPECT_EQ(std::get<StatusT::Invalid>(invalid.error()).message(), "no");
}

}  // namespace
}  // namespace ray
