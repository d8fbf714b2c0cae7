#include "ray/common/id.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "ray/common/constants.h"
#include "ray/common/implementation.h"
#include "ray/util/logging.h"

namespace ray {
namespace {

TEST(RayCommonImplementationTest, LinkedImplementationIsTheSelectedOne) {
  EXPECT_STREQ(ray::RayCommonImplementation(), RAY_COMMON_EXPECTED_IMPL);
}

// ---------------------------------------------------------------------------
// Helpers.

std::string Unhex(const std::string &hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string ToHex(const std::string &bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

template <typename T>
T IdFromHex(const std::string &hex) {
  return T::FromBinary(Unhex(hex));
}

template <typename T>
std::string Streamed(const T &value) {
  std::ostringstream os;
  os << value;
  return os.str();
}

// Captures log messages as "[LEVEL] text" while alive.
class LogCapture {
 public:
  LogCapture() {
    lines_ = &captured_;
    previous_ = RayLog::SetSink(&LogCapture::Sink);
  }
  ~LogCapture() {
    RayLog::SetSink(previous_);
    lines_ = nullptr;
  }
  LogCapture(const LogCapture &) = delete;
  LogCapture &operator=(const LogCapture &) = delete;

  const std::vector<std::string> &lines() const { return captured_; }

 private:
  static void Sink(RayLogLevel level, const std::string &message) {
    const char *name = "OTHER";
    switch (level) {
    case RayLogLevel::DEBUG:
      name = "DEBUG";
      break;
    case RayLogLevel::INFO:
      name = "INFO";
      break;
    case RayLogLevel::WARNING:
      name = "WARNING";
      break;
    case RayLogLevel::ERROR:
      name = "ERROR";
      break;
    case RayLogLevel::FATAL:
      name = "FATAL";
      break;
    default:
      break;
    }
    if (lines_ != nullptr) lines_->push_back(std::string("[") + name + "] " + message);
  }

  static std::vector<std::string> *lines_;
  std::vector<std::string> captured_;
  RayLog::Sink previous_ = nullptr;
};

std::vector<std::string> *LogCapture::lines_ = nullptr;

const JobID kJob199 = JobID::FromInt(199);
const JobID kJob1 = JobID::FromInt(1);

// ActorID::Of with the clock fixed to `time`.
ActorID ActorAtTime(const JobID &job, const TaskID &parent, size_t counter, size_t time) {
  return ActorID::FromBinary(
      GenerateUniqueBytes(job, parent, counter, time, ActorID::kUniqueBytesLength) +
      job.Binary());
}

// ---------------------------------------------------------------------------
// Tests named after Ray's id_test.cc.

TEST(JobIDTest, TestJobID) {
  JobID job = JobID::FromInt(100);
  EXPECT_EQ(job.ToInt(), 100u);
}

TEST(ActorIDTest, TestActorID) {
  const TaskID driver = TaskID::ForDriverTask(kJob199);
  const ActorID actor = ActorID::Of(kJob199, driver, 1);
  const ActorID restored = ActorID::FromBinary(actor.Binary());
  EXPECT_EQ(actor, restored);
  EXPECT_EQ(actor.JobId(), kJob199);
  EXPECT_EQ(restored.JobId(), kJob199);
  EXPECT_FALSE(actor.IsNil());
}

TEST(TaskIDTest, TestTaskID) {
  const TaskID driver = TaskID::ForDriverTask(kJob199);
  const ActorID actor = ActorID::Of(kJob199, driver, 1);
  const TaskID actor_task = TaskID::ForActorTask(kJob199, driver, 1, actor);
  EXPECT_EQ(actor_task.ActorId(), actor);
  EXPECT_FALSE(actor_task.IsForActorCreationTask());

  const TaskID creation = TaskID::ForActorCreationTask(actor);
  EXPECT_EQ(creation.ActorId(), actor);
  EXPECT_TRUE(creation.IsForActorCreationTask());

  EXPECT_FALSE(TaskID::Nil().IsForActorCreationTask());
  EXPECT_FALSE(TaskID::FromRandom(kJob199).IsForActorCreationTask());
}

TEST(TaskIDTest, TestTaskIDForExecution) {
  const TaskID driver = TaskID::ForDriverTask(kJob199);
  const TaskID task = TaskID::ForNormalTask(kJob199, driver, 0);

  EXPECT_EQ(TaskID::ForExecutionAttempt(task, 0), TaskID::ForExecutionAttempt(task, 0));
  EXPECT_NE(task, TaskID::ForExecutionAttempt(task, 0));
  EXPECT_NE(task, TaskID::ForExecutionAttempt(task, 1));
  EXPECT_NE(TaskID::ForExecutionAttempt(task, 0), TaskID::ForExecutionAttempt(task, 1));
  EXPECT_NE(TaskID::ForExecutionAttempt(task, 0), TaskID::ForExecutionAttempt(task, 256));
  EXPECT_NE(TaskID::ForExecutionAttempt(task, 0), TaskID::ForExecutionAttempt(task, 65536));
  EXPECT_NE(TaskID::ForExecutionAttempt(task, 256), TaskID::ForExecutionAttempt(task, 65536));

  const TaskID attempt0 = TaskID::ForExecutionAttempt(task, 0);
  const TaskID attempt1 = TaskID::ForExecutionAttempt(task, 1);
  EXPECT_NE(TaskID::ForNormalTask(kJob199, attempt0, 0),
            TaskID::ForNormalTask(kJob199, attempt1, 0));
}

TEST(ObjectIDTest, TestObjectID) {
  const TaskID driver = TaskID::ForDriverTask(kJob199);
  const TaskID task = TaskID::ForNormalTask(kJob199, driver, 1);
  for (ObjectIDIndexType index :
       {ObjectIDIndexType{1}, ObjectIDIndexType{2},
        static_cast<ObjectIDIndexType>(ObjectID::kMaxObjectIndex)}) {
    const ObjectID object = ObjectID::FromIndex(task, index);
    EXPECT_EQ(object.TaskId(), task);
    EXPECT_EQ(object.ObjectIndex(), index);
  }
  const ObjectID random = ObjectID::FromRandom();
  EXPECT_FALSE(random.TaskId().IsNil());
  EXPECT_EQ(random.ObjectIndex(), 0u);
}

TEST(NilTest, TestIsNil) {
  EXPECT_TRUE(TaskID().IsNil());
  EXPECT_TRUE(TaskID::Nil().IsNil());
  EXPECT_TRUE(ObjectID().IsNil());
  EXPECT_TRUE(ObjectID::Nil().IsNil());
}

TEST(HashTest, TestNilHash) {
  const ObjectID nil = ObjectID::Nil();
  const ObjectID first = ObjectID::FromRandom();
  const ObjectID second = ObjectID::FromRandom();
  EXPECT_NE(nil.Hash(), first.Hash());
  EXPECT_NE(nil.Hash(), second.Hash());
  EXPECT_NE(first.Hash(), second.Hash());
}

TEST(HashTest, TestIdHash) {
  std::unordered_set<ObjectID> ids;
  const ObjectID id = ObjectID::FromRandom();
  EXPECT_TRUE(ids.insert(id).second);
  EXPECT_EQ(ids.count(id), 1u);
  const ObjectID &const_ref = id;
  EXPECT_EQ(ids.count(const_ref), 1u);
  EXPECT_NE(ids.find(const_ref), ids.end());
  ObjectID copy = id;
  EXPECT_FALSE(ids.insert(std::move(copy)).second);
  EXPECT_FALSE(ids.insert(ObjectID::FromBinary(id.Binary())).second);
  EXPECT_EQ(ids.size(), 1u);
}

TEST(PlacementGroupIDTest, TestPlacementGroup) {
  const PlacementGroupID group = PlacementGroupID::Of(kJob199);
  EXPECT_EQ(PlacementGroupID::FromBinary(group.Binary()), group);
  EXPECT_EQ(PlacementGroupID::FromHex(group.Hex()), group);
  EXPECT_EQ(group.JobId(), kJob199);
}

TEST(LeaseIDTest, TestLeaseID) {
  const WorkerID worker = WorkerID::FromRandom();
  const LeaseID lease = LeaseID::FromWorker(worker, 2);
  EXPECT_FALSE(lease.IsNil());
  EXPECT_EQ(lease.WorkerId(), worker);
  EXPECT_EQ(LeaseID::Size(), 32u);
  EXPECT_EQ(lease.Binary().size(), 32u);

  const LeaseID random1 = LeaseID::FromRandom();
  const LeaseID random2 = LeaseID::FromRandom();
  EXPECT_FALSE(random1.IsNil());
  EXPECT_NE(random1, random2);

  const LeaseID other_counter = LeaseID::FromWorker(worker, 3);
  EXPECT_NE(lease, other_counter);
  EXPECT_EQ(other_counter.WorkerId(), worker);

  EXPECT_EQ(LeaseID::FromBinary(lease.Binary()), lease);
  EXPECT_EQ(LeaseID::FromHex(lease.Hex()), lease);
}

// ---------------------------------------------------------------------------
// Sizes and layout.

TEST(IdSizeTest, BinarySizes) {
  EXPECT_EQ(kUniqueIDSize, 28u);
  EXPECT_EQ(UniqueID::Size(), 28u);
  EXPECT_EQ(JobID::Size(), 4u);
  EXPECT_EQ(ActorID::Size(), 16u);
  EXPECT_EQ(TaskID::Size(), 24u);
  EXPECT_EQ(ObjectID::Size(), 28u);
  EXPECT_EQ(PlacementGroupID::Size(), 18u);
  EXPECT_EQ(LeaseID::Size(), 32u);
  EXPECT_EQ(WorkerID::Size(), 28u);
  EXPECT_EQ(NodeID::Size(), 28u);
  EXPECT_EQ(FunctionID::Size(), 28u);
  EXPECT_EQ(ActorClassID::Size(), 28u);
  EXPECT_EQ(ConfigID::Size(), 28u);
  EXPECT_EQ(ClusterID::Size(), 28u);
}

TEST(IdSizeTest, Constants) {
  EXPECT_EQ(JobID::kLength, 4);
  EXPECT_EQ(ActorID::kUniqueBytesLength, 12u);
  EXPECT_EQ(ActorID::kLength, 16u);
  EXPECT_EQ(TaskID::kUniqueBytesLength, 8u);
  EXPECT_EQ(TaskID::kLength, 24u);
  EXPECT_EQ(ObjectID::kIndexBytesLength, 4u);
  EXPECT_EQ(ObjectID::kLength, 28u);
  EXPECT_EQ(ObjectID::kMaxObjectIndex, 4294967295LL);
  EXPECT_EQ(ObjectID::MaxObjectIndex(), 4294967295ULL);
  EXPECT_EQ(PlacementGroupID::kUniqueBytesLength, 14u);
  EXPECT_EQ(PlacementGroupID::kLength, 18u);
  EXPECT_EQ(LeaseID::kUniqueBytesLength, 4u);
  EXPECT_EQ(LeaseID::kLength, 32u);
  static_assert(std::is_same_v<ObjectIDIndexType, uint32_t>, "index type");
}

TEST(IdSizeTest, InMemorySizes) {
  EXPECT_EQ(sizeof(JobID), 12u);
  EXPECT_EQ(sizeof(ActorID), 24u);
  EXPECT_EQ(sizeof(TaskID), 32u);
  EXPECT_EQ(sizeof(ObjectID), 36u);
  EXPECT_EQ(sizeof(UniqueID), 36u);
  EXPECT_EQ(sizeof(WorkerID), 36u);
  EXPECT_EQ(sizeof(NodeID), 36u);
  EXPECT_EQ(sizeof(PlacementGroupID), 26u);
  EXPECT_EQ(sizeof(LeaseID), 40u);
}

template <typename T>
void ExpectBinaryAndHexSizes() {
  T nil;
  EXPECT_EQ(nil.Binary().size(), T::Size());
  EXPECT_EQ(nil.Hex().size(), 2 * T::Size());
  EXPECT_EQ(std::memcmp(nil.Data(), nil.Binary().data(), T::Size()), 0);
}

TEST(IdSizeTest, BinaryAndHexLengths) {
  ExpectBinaryAndHexSizes<UniqueID>();
  ExpectBinaryAndHexSizes<JobID>();
  ExpectBinaryAndHexSizes<ActorID>();
  ExpectBinaryAndHexSizes<TaskID>();
  ExpectBinaryAndHexSizes<ObjectID>();
  ExpectBinaryAndHexSizes<PlacementGroupID>();
  ExpectBinaryAndHexSizes<LeaseID>();
  ExpectBinaryAndHexSizes<WorkerID>();
  ExpectBinaryAndHexSizes<NodeID>();
  ExpectBinaryAndHexSizes<FunctionID>();
  ExpectBinaryAndHexSizes<ActorClassID>();
  ExpectBinaryAndHexSizes<ConfigID>();
  ExpectBinaryAndHexSizes<ClusterID>();
}

// ---------------------------------------------------------------------------
// Nil.

template <typename T>
void ExpectNilSemantics(const std::string &expected_hash) {
  const std::string all_ff(T::Size(), '\xff');
  EXPECT_TRUE(T().IsNil());
  EXPECT_TRUE(T::Nil().IsNil());
  EXPECT_EQ(T().Binary(), all_ff);
  EXPECT_EQ(T::Nil().Binary(), all_ff);
  EXPECT_EQ(T::Nil().Hex(), std::string(2 * T::Size(), 'f'));
  EXPECT_TRUE(T::FromBinary("").IsNil());
  EXPECT_TRUE(T::FromBinary(all_ff).IsNil());
  EXPECT_EQ(T(), T::Nil());
  if constexpr (std::is_reference_v<decltype(T::Nil())>) {
    // BaseID::Nil() hands out one shared instance.
    EXPECT_EQ(&T::Nil(), &T::Nil());
  }
  EXPECT_EQ(std::to_string(T::Nil().Hash()), expected_hash);
  EXPECT_EQ(std::to_string(T().Hash()), expected_hash);
  std::string almost = all_ff;
  almost[T::Size() - 1] = '\xfe';
  EXPECT_FALSE(T::FromBinary(almost).IsNil());
  almost = all_ff;
  almost[0] = '\0';
  EXPECT_FALSE(T::FromBinary(almost).IsNil());
}

TEST(NilTest, EveryTypeIsAllFf) {
  ExpectNilSemantics<JobID>("6877762905250664532");
  ExpectNilSemantics<ActorID>("3463836405032215593");
  ExpectNilSemantics<TaskID>("4066563697184383148");
  ExpectNilSemantics<ObjectID>("13943175134394361224");
  ExpectNilSemantics<UniqueID>("13943175134394361224");
  ExpectNilSemantics<WorkerID>("13943175134394361224");
  ExpectNilSemantics<NodeID>("13943175134394361224");
  ExpectNilSemantics<FunctionID>("13943175134394361224");
  ExpectNilSemantics<ActorClassID>("13943175134394361224");
  ExpectNilSemantics<ConfigID>("13943175134394361224");
  ExpectNilSemantics<ClusterID>("13943175134394361224");
  ExpectNilSemantics<PlacementGroupID>("5227906254995267496");
  ExpectNilSemantics<LeaseID>("15513378829893768522");
}

TEST(NilTest, NilByConstruction) {
  EXPECT_TRUE(JobID::FromInt(0xFFFFFFFFu).IsNil());
  EXPECT_TRUE(ActorID::NilFromJob(JobID::Nil()).IsNil());
  EXPECT_TRUE(TaskID::ForDriverTask(JobID::Nil()).IsNil());
  EXPECT_TRUE(ComputeDriverIdFromJob(JobID::Nil()).IsNil());
  EXPECT_FALSE(ActorID::NilFromJob(kJob1).IsNil());
  EXPECT_FALSE(TaskID::ForDriverTask(kJob1).IsNil());
  EXPECT_FALSE(JobID::FromInt(0).IsNil());
}

// ---------------------------------------------------------------------------
// Hex and binary conversions.

TEST(HexTest, HexIsLowerCase) {
  const JobID job = JobID::FromBinary(Unhex("abcdef01"));
  EXPECT_EQ(job.Hex(), "abcdef01");
  const WorkerID worker = WorkerID::FromBinary(Unhex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b"));
  EXPECT_EQ(worker.Hex(), "000102030405060708090a0b0c0d0e0f101112131415161718191a1b");
}

TEST(HexTest, FromHexAcceptsBothCases) {
  LogCapture capture;
  EXPECT_EQ(JobID::FromHex("01000000"), kJob1);
  EXPECT_EQ(JobID::FromHex("c7000000"), kJob199);
  EXPECT_EQ(JobID::FromHex("ABCDEF01").Hex(), "abcdef01");
  EXPECT_EQ(JobID::FromHex("AbCdEf01").Hex(), "abcdef01");
  EXPECT_TRUE(JobID::FromHex("ffffffff").IsNil());
  EXPECT_TRUE(JobID::FromHex("FFFFFFFF").IsNil());
  EXPECT_EQ(ObjectID::FromHex("404142434445464748494A4B4C4D4E4F505152535455565758595A5B").Hex(),
            "404142434445464748494a4b4c4d4e4f505152535455565758595a5b");
  EXPECT_TRUE(capture.lines().empty());
}

template <typename T>
void ExpectHexRoundTrip(const T &id) {
  LogCapture capture;
  EXPECT_EQ(T::FromHex(id.Hex()), id);
  EXPECT_EQ(T::FromBinary(id.Binary()), id);
  EXPECT_TRUE(capture.lines().empty());
}

TEST(HexTest, RoundTripsForEveryType) {
  ExpectHexRoundTrip(UniqueID::FromRandom());
  ExpectHexRoundTrip(WorkerID::FromRandom());
  ExpectHexRoundTrip(NodeID::FromRandom());
  ExpectHexRoundTrip(FunctionID::FromRandom());
  ExpectHexRoundTrip(ActorClassID::FromRandom());
  ExpectHexRoundTrip(ConfigID::FromRandom());
  ExpectHexRoundTrip(ClusterID::FromRandom());
  ExpectHexRoundTrip(kJob199);
  ExpectHexRoundTrip(ActorID::Of(kJob199, TaskID::ForDriverTask(kJob199), 3));
  ExpectHexRoundTrip(TaskID::FromRandom(kJob199));
  ExpectHexRoundTrip(ObjectID::FromRandom());
  ExpectHexRoundTrip(PlacementGroupID::Of(kJob199));
  ExpectHexRoundTrip(LeaseID::FromRandom());
  ExpectHexRoundTrip(kGCSNodeID);
}

struct BadHexCase {
  std::string input;
  std::string logged;
};

TEST(HexTest, BadJobIdHexIsNilAndLogged) {
  const std::vector<BadHexCase> cases = {
      {"010000", "[ERROR] incorrect hex string length: 2 * 4 != 6, hex string: 010000"},
      {"0100000000",
       "[ERROR] incorrect hex string length: 2 * 4 != 10, hex string: 0100000000"},
      {"", "[ERROR] incorrect hex string length: 2 * 4 != 0, hex string: "},
      {"0100000g", "[ERROR] incorrect hex character, hex string: 0100000g"},
      {"0x010000", "[ERROR] incorrect hex character, hex string: 0x010000"},
      {" 1000000", "[ERROR] incorrect hex character, hex string:  1000000"},
      {"0100000 ", "[ERROR] incorrect hex character, hex string: 0100000 "},
      {"01-00000", "[ERROR] incorrect hex character, hex string: 01-00000"},
      {"g1000000", "[ERROR] incorrect hex character, hex string: g1000000"},
      {"0x01000000",
       "[ERROR] incorrect hex string length: 2 * 4 != 10, hex string: 0x01000000"},
      {"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9",
       "[ERROR] incorrect hex character, hex string: \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"},
      {"0100\xC3\xA9",
       "[ERROR] incorrect hex string length: 2 * 4 != 6, hex string: 0100\xC3\xA9"},
      {std::string("0100") + '\0' + "000",
       std::string("[ERROR] incorrect hex character, hex string: 0100") + '\0' + "000"},
  };
  for (const BadHexCase &c : cases) {
    SCOPED_TRACE("input: '" + c.input + "'");
    LogCapture capture;
    const JobID result = JobID::FromHex(c.input);
    EXPECT_TRUE(result.IsNil());
    EXPECT_EQ(result.Hex(), "ffffffff");
    ASSERT_EQ(capture.lines().size(), 1u);
    EXPECT_EQ(capture.lines()[0], c.logged);
  }
}

TEST(HexTest, BadHexOfOtherTypesIsNilAndLogged) {
  {
    LogCapture capture;
    const std::string input = "000102030405060708090a0b0c0d0e0f101112131415161718191a";
    EXPECT_TRUE(WorkerID::FromHex(input).IsNil());
    ASSERT_EQ(capture.lines().size(), 1u);
    EXPECT_EQ(capture.lines()[0],
              "[ERROR] incorrect hex string length: 2 * 28 != 54, hex string: " + input);
  }
  {
    LogCapture capture;
    const std::string input = "ffffffffffffffffffffffffffffffffffffffffc700000z";
    EXPECT_TRUE(TaskID::FromHex(input).IsNil());
    ASSERT_EQ(capture.lines().size(), 1u);
    EXPECT_EQ(capture.lines()[0], "[ERROR] incorrect hex character, hex string: " + input);
  }
  {
    LogCapture capture;
    // A bad character late in the string gives nil, not a partial result.
    const std::string input = "0001020304050607080910111213141516171819202122232425262X";
    const ObjectID result = ObjectID::FromHex(input);
    EXPECT_TRUE(result.IsNil());
    ASSERT_EQ(capture.lines().size(), 1u);
    EXPECT_EQ(capture.lines()[0], "[ERROR] incorrect hex character, hex string: " + input);
  }
  {
    LogCapture capture;
    EXPECT_TRUE(LeaseID::FromHex("00").IsNil());
    EXPECT_TRUE(PlacementGroupID::FromHex(std::string(37, 'a')).IsNil());
    EXPECT_TRUE(ActorID::FromHex(std::string(32, ' ')).IsNil());
    ASSERT_EQ(capture.lines().size(), 3u);
    EXPECT_EQ(capture.lines()[0],
              "[ERROR] incorrect hex string length: 2 * 32 != 2, hex string: 00");
    EXPECT_EQ(capture.lines()[1], "[ERROR] incorrect hex string length: 2 * 18 != 37, hex "
                                  "string: " + std::string(37, 'a'));
    EXPECT_EQ(capture.lines()[2],
              "[ERROR] incorrect hex character, hex string: " + std::string(32, ' '));
  }
}

TEST(BinaryTest, FromBinaryCopiesExactSize) {
  EXPECT_EQ(JobID::FromBinary(std::string(4, '\x01')).Hex(), "01010101");
  EXPECT_EQ(TaskID::FromBinary(std::string(24, '\x01')).Hex(),
            "010101010101010101010101010101010101010101010101");
  EXPECT_EQ(WorkerID::FromBinary(std::string(28, '\x01')).Binary(), std::string(28, '\x01'));
  const std::string bytes = Unhex("000102030405060708090a0b0c0d0e0f10111213141516171819");
  EXPECT_EQ(WorkerID::FromBinary(bytes + std::string(2, '\x1a')).Binary(),
            bytes + std::string(2, '\x1a'));
  EXPECT_TRUE(WorkerID::FromBinary(std::string()).IsNil());
}

TEST(BinaryDeathTest, FromBinaryOfWrongSizeIsFatal) {
  EXPECT_DEATH(JobID::FromBinary(std::string(3, '\x01')),
               "Check failed: binary.size\\(\\) == T::Size\\(\\) expected size is 4, but got "
               "data size is 3");
  EXPECT_DEATH(JobID::FromBinary(std::string(5, '\x01')),
               "Check failed: binary.size\\(\\) == T::Size\\(\\) expected size is 4, but got "
               "data size is 5");
  EXPECT_DEATH(TaskID::FromBinary(std::string(28, '\x01')),
               "Check failed: binary.size\\(\\) == T::Size\\(\\) expected size is 24, but got "
               "data size is 28");
  EXPECT_DEATH(ObjectID::FromBinary(std::string(24, '\x01')),
               "expected size is 28, but got data size is 24");
  EXPECT_DEATH(LeaseID::FromBinary(std::string(28, '\x01')),
               "expected size is 32, but got data size is 28");
  EXPECT_DEATH(WorkerID::FromBinary(std::string(20, '\x01')),
               "Check failed: binary.size\\(\\) == Size\\(\\) expected size is 28, but got data "
               "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
               " of size 20");
  EXPECT_DEATH(NodeID::FromBinary("abc"),
               "expected size is 28, but got data abc of size 3");
  // UniqueID itself is not a DEFINE_UNIQUE_ID type: it reports the size only.
  EXPECT_DEATH(UniqueID::FromBinary(std::string(29, 'x')),
               "expected size is 28, but got data size is 29");
}

// ---------------------------------------------------------------------------
// Derivations with golden values.

TEST(JobIDTest, FromIntLayoutAndGoldenHashes) {
  EXPECT_EQ(kJob1.Hex(), "01000000");
  EXPECT_EQ(kJob1.Hash(), 17666132492028397833ULL);
  EXPECT_EQ(kJob199.Hex(), "c7000000");
  EXPECT_EQ(kJob199.Hash(), 5435084878588685719ULL);
  EXPECT_EQ(JobID::FromInt(0).Hex(), "00000000");
  EXPECT_EQ(JobID::FromInt(0).Hash(), 6960269033020761575ULL);
  EXPECT_EQ(JobID::FromInt(0x7fffffff).Hex(), "ffffff7f");
  EXPECT_EQ(JobID::FromInt(0x7fffffff).Hash(), 13426336580491720044ULL);
  EXPECT_EQ(JobID::FromInt(0xdeadbeef).Hex(), "efbeadde");
  for (uint32_t v : {0u, 1u, 199u, 256u, 65536u, 0x7fffffffu, 0xdeadbeefu, 0xfffffffeu,
                     0xffffffffu}) {
    JobID job = JobID::FromInt(v);
    EXPECT_EQ(job.ToInt(), v);
  }
}

TEST(ActorIDTest, NilFromJobLayout) {
  EXPECT_EQ(ActorID::NilFromJob(kJob1).Hex(), "ffffffffffffffffffffffff01000000");
  EXPECT_EQ(ActorID::NilFromJob(kJob1).Hash(), 6992212466231722934ULL);
  EXPECT_EQ(ActorID::NilFromJob(JobID::FromInt(0)).Hash(), 203639052884801325ULL);
  EXPECT_EQ(ActorID::NilFromJob(kJob199).JobId(), kJob199);
}

TEST(ActorIDTest, OfDependsOnTheClock) {
  const TaskID driver = TaskID::ForDriverTask(kJob1);
  const ActorID first = ActorID::Of(kJob1, driver, 1);
  bool differs = false;
  for (int i = 0; i < 100 && !differs; ++i) {
    differs = ActorID::Of(kJob1, driver, 1) != first;
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(first.Binary().substr(ActorID::kUniqueBytesLength), kJob1.Binary());
  EXPECT_EQ(first.JobId(), kJob1);
}

TEST(ActorIDTest, FixedTimeGoldenDerivations) {
  const TaskID driver = TaskID::ForDriverTask(kJob1);
  const ActorID actor = ActorAtTime(kJob1, driver, 1, 1);
  EXPECT_EQ(actor.Hex(), "23863bae5dd5f85e8ff836de01000000");
  EXPECT_EQ(actor.Hash(), 11120671579017658485ULL);
  EXPECT_EQ(actor.JobId(), kJob1);

  const TaskID creation = TaskID::ForActorCreationTask(actor);
  EXPECT_EQ(creation.Hex(), "ffffffffffffffff23863bae5dd5f85e8ff836de01000000");
  EXPECT_EQ(creation.Hash(), 17896162128340627925ULL);
  EXPECT_TRUE(creation.IsForActorCreationTask());
  EXPECT_EQ(creation.ActorId(), actor);
  EXPECT_EQ(creation.JobId(), kJob1);

  const ObjectID handle = ObjectID::ForActorHandle(actor);
  EXPECT_EQ(handle.Hex(), "ffffffffffffffff23863bae5dd5f85e8ff836de0100000001000000");
  EXPECT_EQ(handle.Hash(), 13909944164136145447ULL);
  EXPECT_TRUE(ObjectID::IsActorID(handle));
  EXPECT_EQ(ObjectID::ToActorID(handle), actor);
  EXPECT_EQ(handle.ObjectIndex(), 1u);
  EXPECT_EQ(handle.TaskId(), creation);

  const TaskID actor_task0 = TaskID::ForActorTask(kJob1, driver, 0, actor);
  EXPECT_EQ(actor_task0.Hex(), "d9dbfdfdf1d18bb523863bae5dd5f85e8ff836de01000000");
  EXPECT_EQ(actor_task0.Hash(), 4750483459160101994ULL);
  const TaskID actor_task1 = TaskID::ForActorTask(kJob1, driver, 1, actor);
  EXPECT_EQ(actor_task1.Hex(), "a67dc375e60ddd1a23863bae5dd5f85e8ff836de01000000");
  EXPECT_EQ(actor_task1.Hash(), 8128588007031544141ULL);
  EXPECT_FALSE(actor_task1.IsForActorCreationTask());
  EXPECT_EQ(actor_task1.ActorId(), actor);
  EXPECT_EQ(actor_task1.JobId(), kJob1);
}

TEST(TaskIDTest, DriverTaskLayout) {
  const TaskID driver = TaskID::ForDriverTask(kJob1);
  EXPECT_EQ(driver.Hex(), "ffffffffffffffffffffffffffffffffffffffff01000000");
  EXPECT_EQ(driver.Hash(), 2181533352989482703ULL);
  EXPECT_EQ(driver.ActorId(), ActorID::NilFromJob(kJob1));
  EXPECT_EQ(driver.JobId(), kJob1);
}

TEST(TaskIDTest, DriverTasksCountAsActorCreationTasks) {
  for (uint32_t v : {0u, 1u, 199u, 0x7fffffffu, 0xfffffffeu}) {
    EXPECT_TRUE(TaskID::ForDriverTask(JobID::FromInt(v)).IsForActorCreationTask()) << v;
  }
  EXPECT_FALSE(TaskID::ForDriverTask(JobID::FromInt(0xffffffffu)).IsForActorCreationTask());
}

TEST(TaskIDTest, NormalTaskGoldenValues) {
  const TaskID driver = TaskID::ForDriverTask(kJob1);
  const TaskID first = TaskID::ForNormalTask(kJob1, driver, 0);
  EXPECT_EQ(first.Hex(), "d9dbfdfdf1d18bb5ffffffffffffffffffffffff01000000");
  EXPECT_EQ(first.Hash(), 18432688764893419878ULL);
  EXPECT_FALSE(first.IsForActorCreationTask());
  EXPECT_EQ(first.ActorId(), ActorID::NilFromJob(kJob1));
  EXPECT_EQ(first.JobId(), kJob1);

  const TaskID second = TaskID::ForNormalTask(kJob1, driver, 1);
  EXPECT_EQ(second.Hex(), "a67dc375e60ddd1affffffffffffffffffffffff01000000");
  EXPECT_EQ(second.Hash(), 9196887856481043684ULL);

  const TaskID job199 = TaskID::ForNormalTask(kJob199, TaskID::ForDriverTask(kJob199), 0);
  EXPECT_EQ(job199.Hex(), "37ed100dd72fc4b7ffffffffffffffffffffffffc7000000");
}

TEST(TaskIDTest, ActorAndNormalTasksShareUniqueBytes) {
  const TaskID driver = TaskID::ForDriverTask(kJob1);
  const ActorID actor = ActorID::Of(kJob1, driver, 4);
  for (size_t counter : {size_t{0}, size_t{1}, size_t{77}}) {
    EXPECT_EQ(TaskID::ForActorTask(kJob1, driver, counter, actor).Binary().substr(0, 8),
              TaskID::ForNormalTask(kJob1, driver, counter).Binary().substr(0, 8));
  }
}

TEST(TaskIDTest, ForExecutionAttemptGoldenValues) {
  const TaskID driver = TaskID::ForDriverTask(kJob199);
  struct Attempt {
    uint64_t number;
    const char *hex;
    uint64_t hash;
  };
  const std::vector<Attempt> attempts = {
      {0, "00ffffffffffffffffffffffffffffffffffffffc7000000", 1104127374748094291ULL},
      {1, "01ffffffffffffffffffffffffffffffffffffffc7000000", 16982075240683765231ULL},
      {2, "02ffffffffffffffffffffffffffffffffffffffc7000000", 8406269128330152033ULL},
      {255, "ffffffffffffffffffffffffffffffffffffffffc7000000", 16379148315963018990ULL},
      {256, "0000000000000000ffffffffffffffffffffffffc7000000", 12272848961997873115ULL},
      {257, "0100000000000000ffffffffffffffffffffffffc7000000", 16391172593714953016ULL},
      {65536, "00ff000000000000ffffffffffffffffffffffffc7000000", 4659482279014127131ULL},
      {1099511627776ULL, "00ffffffff000000ffffffffffffffffffffffffc7000000",
       6789874822407977847ULL},
      {std::numeric_limits<uint64_t>::max(), "fffeffffffffffffffffffffffffffffffffffffc7000000",
       17391901756117430940ULL},
  };
  for (const Attempt &a : attempts) {
    SCOPED_TRACE(a.number);
    const TaskID attempt = TaskID::ForExecutionAttempt(driver, a.number);
    EXPECT_EQ(attempt.Hex(), a.hex);
    EXPECT_EQ(attempt.Hash(), a.hash);
    EXPECT_EQ(attempt.ActorId(), driver.ActorId());
  }
}

TEST(TaskIDTest, ForExecutionAttemptHashIsNotInheritedFromTheBase) {
  const TaskID driver = TaskID::ForDriverTask(kJob199);
  EXPECT_EQ(driver.Hash(), 16379148315963018990ULL);
  const TaskID attempt = TaskID::ForExecutionAttempt(driver, 0);
  EXPECT_EQ(attempt.Hash(), 1104127374748094291ULL);
  EXPECT_EQ(std::hash<TaskID>()(attempt), 1104127374748094291ULL);
}

TEST(TaskIDTest, FromRandomKeepsTheJob) {
  for (int i = 0; i < 100; ++i) {
    const TaskID task = TaskID::FromRandom(kJob199);
    EXPECT_EQ(task.Binary().substr(20), kJob199.Binary());
    EXPECT_EQ(task.JobId(), kJob199);
    EXPECT_FALSE(task.IsForActorCreationTask());
  }
}

TEST(TaskIDTest, ComputeDriverTaskIdTakesWorkerPrefix) {
  const WorkerID worker = WorkerID::FromBinary(
      Unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b"));
  const TaskID task = TaskID::ComputeDriverTaskId(worker);
  EXPECT_EQ(task.Hex(), "000102030405060708090a0b0c0d0e0f1011121314151617");
  EXPECT_EQ(task.Hash(), 16262450876718534663ULL);
}

TEST(ObjectIDTest, FromIndexGoldenValue) {
  const TaskID task = TaskID::ForNormalTask(kJob199, TaskID::ForDriverTask(kJob199), 0);
  const ObjectID object = ObjectID::FromIndex(task, 1);
  EXPECT_EQ(object.Hex(), "37ed100dd72fc4b7ffffffffffffffffffffffffc700000001000000");
  EXPECT_EQ(object.Hash(), 11163712924940272378ULL);
  EXPECT_FALSE(ObjectID::IsActorID(object));
  EXPECT_EQ(ObjectID::ToActorID(object), ActorID::NilFromJob(kJob199));

  EXPECT_EQ(ObjectID::FromIndex(task, 0x01020304).Hex().substr(48), "04030201");
  EXPECT_EQ(ObjectID::FromIndex(task, 0xffffffffu).Hex().substr(48), "ffffffff");
}

TEST(ObjectIDTest, DriverObjectsLookLikeActorHandles) {
  const TaskID driver = TaskID::ForDriverTask(kJob199);
  const ObjectID object = ObjectID::FromIndex(driver, 1);
  EXPECT_EQ(object.Hex(), "ffffffffffffffffffffffffffffffffffffffffc700000001000000");
  EXPECT_EQ(object.Hash(), 5436370156454682259ULL);
  EXPECT_TRUE(ObjectID::IsActorID(object));
  EXPECT_EQ(ObjectID::ToActorID(object), ActorID::NilFromJob(kJob199));
}

TEST(ObjectIDTest, FromRandomHasIndexZero) {
  for (int i = 0; i < 100; ++i) {
    const ObjectID object = ObjectID::FromRandom();
    EXPECT_EQ(object.ObjectIndex(), 0u);
    EXPECT_EQ(object.Binary().substr(24), std::string(4, '\0'));
    EXPECT_FALSE(object.IsNil());
  }
}

TEST(ObjectIDDeathTest, FromIndexZeroIsFatal) {
  const TaskID task = TaskID::ForDriverTask(kJob199);
  EXPECT_DEATH(ObjectID::FromIndex(task, 0),
               "Check failed: index >= 1 && index <= kMaxObjectIndex index=0");
}

TEST(IdDeathTest, JobIdOfNilIsFatal) {
  EXPECT_DEATH(ActorID::Nil().JobId(), "Check failed");
  EXPECT_DEATH(TaskID::Nil().JobId(), "Check failed");
  EXPECT_DEATH(TaskID::ForDriverTask(JobID::Nil()).JobId(), "Check failed");
  EXPECT_DEATH(PlacementGroupID::Nil().JobId(), "Check failed");
}

TEST(PlacementGroupIDTest, LayoutAndGoldenValues) {
  const PlacementGroupID fixed =
      PlacementGroupID::FromBinary(Unhex("a0a1a2a3a4a5a6a7a8a9aaabacad01000000"));
  EXPECT_EQ(fixed.Hash(), 10288519765386658507ULL);
  EXPECT_EQ(fixed.JobId(), kJob1);
  for (int i = 0; i < 100; ++i) {
    const PlacementGroupID group = PlacementGroupID::Of(kJob199);
    EXPECT_EQ(group.Binary().substr(14), kJob199.Binary());
    EXPECT_EQ(group.JobId(), kJob199);
  }
}

TEST(LeaseIDTest, LayoutAndGoldenValues) {
  const WorkerID worker = WorkerID::FromBinary(
      Unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b"));
  const LeaseID lease0 = LeaseID::FromWorker(worker, 0);
  EXPECT_EQ(lease0.Hex(), "00000000000102030405060708090a0b0c0d0e0f101112131415161718191a1b");
  EXPECT_EQ(lease0.Hash(), 17766897314413480586ULL);
  const LeaseID lease1 = LeaseID::FromWorker(worker, 1);
  EXPECT_EQ(lease1.Hex(), "01000000000102030405060708090a0b0c0d0e0f101112131415161718191a1b");
  EXPECT_EQ(lease1.Hash(), 3034360092135603298ULL);
  EXPECT_EQ(lease1.WorkerId(), worker);
  EXPECT_EQ(LeaseID::FromWorker(worker, 0xdeadbeef).Hex().substr(0, 8), "efbeadde");
}

TEST(ComputeDriverIdFromJobTest, JobThenFf) {
  EXPECT_EQ(ComputeDriverIdFromJob(JobID::FromInt(0)).Hex(),
            "00000000ffffffffffffffffffffffffffffffffffffffffffffffff");
  EXPECT_EQ(ComputeDriverIdFromJob(JobID::FromInt(0)).Hash(), 4170831833414345842ULL);
  EXPECT_EQ(ComputeDriverIdFromJob(kJob1).Hash(), 3276953840877696534ULL);
  EXPECT_EQ(ComputeDriverIdFromJob(kJob199).Hex(),
            "c7000000ffffffffffffffffffffffffffffffffffffffffffffffff");
  EXPECT_EQ(ComputeDriverIdFromJob(kJob199).Hash(), 5528329428171629820ULL);
  static_assert(std::is_same_v<decltype(ComputeDriverIdFromJob(kJob1)), WorkerID>,
                "ComputeDriverIdFromJob returns a WorkerID");
}

TEST(GcsNodeIdTest, AllZeros) {
  EXPECT_EQ(kGCSNodeID.Hex(), std::string(56, '0'));
  EXPECT_EQ(kGCSNodeID.Binary(), std::string(28, '\0'));
  EXPECT_FALSE(kGCSNodeID.IsNil());
  EXPECT_EQ(kGCSNodeID.Hash(), 351838792928280164ULL);
  EXPECT_EQ(Streamed(kGCSNodeID), std::string(56, '0'));
}

TEST(GenerateUniqueBytesTest, GoldenValues) {
  const TaskID driver1 = TaskID::ForDriverTask(kJob1);
  EXPECT_EQ(ToHex(GenerateUniqueBytes(kJob1, driver1, 0, 0, 8)), "d9dbfdfdf1d18bb5");
  EXPECT_EQ(ToHex(GenerateUniqueBytes(kJob1, driver1, 1, 0, 8)), "a67dc375e60ddd1a");
  const TaskID driver199 = TaskID::ForDriverTask(kJob199);
  EXPECT_EQ(ToHex(GenerateUniqueBytes(kJob199, driver199, std::numeric_limits<size_t>::max(),
                                      1700000000000000000ULL, 12)),
            "502c25c5f37bebb35aebbe45");
  EXPECT_EQ(ToHex(GenerateUniqueBytes(kJob1, driver1, 1, 1, 12)), "23863bae5dd5f85e8ff836de");
}

TEST(GenerateUniqueBytesTest, LengthTruncatesTheDigest) {
  const TaskID driver = TaskID::ForDriverTask(kJob199);
  const std::string full = GenerateUniqueBytes(kJob199, driver, 5, 9, 32);
  EXPECT_EQ(full.size(), 32u);
  for (size_t n : {size_t{0}, size_t{1}, size_t{8}, size_t{12}, size_t{31}}) {
    EXPECT_EQ(GenerateUniqueBytes(kJob199, driver, 5, 9, n), full.substr(0, n));
  }
  EXPECT_NE(GenerateUniqueBytes(kJob199, driver, 5, 0, 32), full);
  EXPECT_NE(GenerateUniqueBytes(kJob1, driver, 5, 9, 32), full);
}

TEST(GenerateUniqueBytesDeathTest, LengthAboveDigestIsFatal) {
  const TaskID driver = TaskID::ForDriverTask(kJob199);
  EXPECT_DEATH(GenerateUniqueBytes(kJob199, driver, 0, 0, 33), "Check failed");
}

// ---------------------------------------------------------------------------
// Randomness.

template <typename T, typename Make>
void ExpectRandomBytesBelowFf(Make make, size_t random_prefix) {
  constexpr int kSamples = 2500;
  std::set<std::string> seen;
  int max_byte = -1;
  int min_byte = 256;
  for (int i = 0; i < kSamples; ++i) {
    const T id = make();
    const std::string bytes = id.Binary();
    for (size_t k = 0; k < random_prefix; ++k) {
      const int b = static_cast<unsigned char>(bytes[k]);
      max_byte = std::max(max_byte, b);
      min_byte = std::min(min_byte, b);
    }
    seen.insert(bytes);
  }
  EXPECT_EQ(max_byte, 254);
  EXPECT_EQ(min_byte, 0);
  EXPECT_EQ(seen.size(), static_cast<size_t>(kSamples));
}

TEST(RandomIdTest, RandomBytesNeverContainFf) {
  ExpectRandomBytesBelowFf<ObjectID>([] { return ObjectID::FromRandom(); }, 24);
  ExpectRandomBytesBelowFf<TaskID>([] { return TaskID::FromRandom(kJob199); }, 20);
  ExpectRandomBytesBelowFf<PlacementGroupID>([] { return PlacementGroupID::Of(kJob199); }, 14);
  ExpectRandomBytesBelowFf<UniqueID>([] { return UniqueID::FromRandom(); }, 28);
  ExpectRandomBytesBelowFf<WorkerID>([] { return WorkerID::FromRandom(); }, 28);
  ExpectRandomBytesBelowFf<NodeID>([] { return NodeID::FromRandom(); }, 28);
  ExpectRandomBytesBelowFf<LeaseID>([] { return LeaseID::FromRandom(); }, 32);
}

TEST(RandomIdTest, FromRandomIsNeverNil) {
  for (int i = 0; i < 200; ++i) {
    EXPECT_FALSE(UniqueID::FromRandom().IsNil());
    EXPECT_FALSE(ClusterID::FromRandom().IsNil());
    EXPECT_FALSE(LeaseID::FromRandom().IsNil());
  }
}

// ---------------------------------------------------------------------------
// Hashing.

TEST(MurmurHashTest, GoldenValues) {
  EXPECT_EQ(MurmurHash64A("", 0, 0), 0u);
  EXPECT_EQ(MurmurHash64A("abc", 3, 0), 11297775770902552315ULL);
  EXPECT_EQ(MurmurHash64A("abc", 3, 1), 13021918864714763345ULL);
  EXPECT_EQ(MurmurHash64A("abc", 3, 42), 13453544136074613394ULL);
  EXPECT_EQ(MurmurHash64A("abc", 3, 0x9747b28cu), 12191644994431882260ULL);
  EXPECT_EQ(MurmurHash64A("abc", 3, 0xffffffffu), 3152281241148932112ULL);
  EXPECT_EQ(MurmurHash64A("hello world", 11, 0), 15256545620076441550ULL);
  EXPECT_EQ(MurmurHash64A("hello world", 11, 42), 6407594231340099345ULL);
  const std::string seq = Unhex("000102030405060708");
  EXPECT_EQ(MurmurHash64A(seq.data(), 7, 0), 11849459447910133869ULL);
  EXPECT_EQ(MurmurHash64A(seq.data(), 8, 0), 6047550627545556236ULL);
  EXPECT_EQ(MurmurHash64A(seq.data(), 9, 0), 4368814999443626415ULL);
  const std::string c7 = Unhex("c7000000");
  EXPECT_EQ(MurmurHash64A(c7.data(), 4, 0), 5435084878588685719ULL);
  const std::string ff(4, '\xff');
  EXPECT_EQ(MurmurHash64A(ff.data(), 4, 0), 6877762905250664532ULL);
}

template <typename T>
void ExpectHashIsMurmurOfBytes(const T &id) {
  const uint64_t expected = MurmurHash64A(id.Data(), static_cast<int>(T::Size()), 0);
  EXPECT_EQ(id.Hash(), expected);
  EXPECT_EQ(id.Hash(), expected);
  EXPECT_EQ(std::hash<T>()(id), expected);
  T copy = id;
  EXPECT_EQ(copy.Hash(), expected);
}

TEST(HashTest, HashIsMurmurOfTheBytes) {
  ExpectHashIsMurmurOfBytes(kJob199);
  ExpectHashIsMurmurOfBytes(ActorID::Of(kJob199, TaskID::ForDriverTask(kJob199), 1));
  ExpectHashIsMurmurOfBytes(TaskID::FromRandom(kJob199));
  ExpectHashIsMurmurOfBytes(ObjectID::FromRandom());
  ExpectHashIsMurmurOfBytes(PlacementGroupID::Of(kJob199));
  ExpectHashIsMurmurOfBytes(LeaseID::FromRandom());
  ExpectHashIsMurmurOfBytes(UniqueID::FromRandom());
  ExpectHashIsMurmurOfBytes(WorkerID::FromRandom());
  ExpectHashIsMurmurOfBytes(NodeID::FromRandom());
  ExpectHashIsMurmurOfBytes(FunctionID::FromRandom());
  ExpectHashIsMurmurOfBytes(ActorClassID::FromRandom());
  ExpectHashIsMurmurOfBytes(ConfigID::FromRandom());
  ExpectHashIsMurmurOfBytes(ClusterID::FromRandom());
}

TEST(HashTest, HashDependsOnlyOnBytes) {
  EXPECT_EQ(ObjectID::Nil().Hash(), UniqueID::Nil().Hash());
  EXPECT_EQ(ObjectID::Nil().Hash(), 13943175134394361224ULL);
  const std::string bytes(28, '\x42');
  EXPECT_EQ(WorkerID::FromBinary(bytes).Hash(), NodeID::FromBinary(bytes).Hash());
  EXPECT_EQ(ObjectID::FromBinary(bytes).Hash(), UniqueID::FromBinary(bytes).Hash());
  EXPECT_EQ(ObjectID::FromBinary(std::string(28, '\0')).Hash(), kGCSNodeID.Hash());
}

TEST(HashTest, EqualityIgnoresCachedHash) {
  const TaskID a = TaskID::FromRandom(kJob199);
  const TaskID b = TaskID::FromBinary(a.Binary());
  (void)a.Hash();
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a != b);
  EXPECT_EQ(a.Hash(), b.Hash());
}

template <typename T>
void ExpectWorksInContainers(const std::vector<T> &ids) {
  std::unordered_set<T> set;
  std::unordered_map<T, size_t> map;
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_TRUE(set.insert(ids[i]).second);
    map[ids[i]] = i;
  }
  EXPECT_EQ(set.size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const T &ref = ids[i];
    EXPECT_EQ(set.count(ref), 1u);
    T copy = T::FromBinary(ref.Binary());
    EXPECT_EQ(set.count(copy), 1u);
    EXPECT_FALSE(set.insert(std::move(copy)).second);
    auto it = map.find(ref);
    ASSERT_NE(it, map.end());
    EXPECT_EQ(it->second, i);
  }
  EXPECT_EQ(set.count(T::Nil()), 0u);
  EXPECT_TRUE(set.insert(T::Nil()).second);
  EXPECT_FALSE(set.insert(T()).second);
  EXPECT_EQ(set.size(), ids.size() + 1);
  EXPECT_EQ(set.erase(T::Nil()), 1u);
  EXPECT_EQ(map.size(), ids.size());
}

TEST(HashTest, IdsWorkInStandardContainers) {
  std::vector<ObjectID> objects;
  std::vector<TaskID> tasks;
  std::vector<JobID> jobs;
  std::vector<ActorID> actors;
  std::vector<WorkerID> workers;
  std::vector<NodeID> nodes;
  std::vector<PlacementGroupID> groups;
  std::vector<LeaseID> leases;
  std::vector<UniqueID> uniques;
  const TaskID driver = TaskID::ForDriverTask(kJob199);
  for (uint32_t i = 0; i < 50; ++i) {
    objects.push_back(ObjectID::FromIndex(driver, i + 1));
    tasks.push_back(TaskID::ForNormalTask(kJob199, driver, i));
    jobs.push_back(JobID::FromInt(i));
    actors.push_back(ActorAtTime(kJob199, driver, i, 1));
    workers.push_back(WorkerID::FromRandom());
    nodes.push_back(NodeID::FromRandom());
    groups.push_back(PlacementGroupID::Of(kJob199));
    leases.push_back(LeaseID::FromWorker(workers.front(), i));
    uniques.push_back(UniqueID::FromRandom());
  }
  ExpectWorksInContainers(objects);
  ExpectWorksInContainers(tasks);
  ExpectWorksInContainers(jobs);
  ExpectWorksInContainers(actors);
  ExpectWorksInContainers(workers);
  ExpectWorksInContainers(nodes);
  ExpectWorksInContainers(groups);
  ExpectWorksInContainers(leases);
  ExpectWorksInContainers(uniques);
}

// ---------------------------------------------------------------------------
// Copying, streaming.

TEST(IdValueTest, CopyAndMove) {
  const ObjectID original = ObjectID::FromRandom();
  ObjectID copy(original);
  EXPECT_EQ(copy, original);
  ObjectID assigned;
  assigned = original;
  EXPECT_EQ(assigned, original);
  ObjectID moved(std::move(copy));
  EXPECT_EQ(moved, original);
  ObjectID move_assigned;
  move_assigned = std::move(assigned);
  EXPECT_EQ(move_assigned, original);
  EXPECT_NE(move_assigned, ObjectID::Nil());
}

TEST(IdStreamTest, NilPrintsNilId) {
  EXPECT_EQ(Streamed(JobID::Nil()), "NIL_ID");
  EXPECT_EQ(Streamed(ActorID::Nil()), "NIL_ID");
  EXPECT_EQ(Streamed(TaskID::Nil()), "NIL_ID");
  EXPECT_EQ(Streamed(ObjectID::Nil()), "NIL_ID");
  EXPECT_EQ(Streamed(PlacementGroupID::Nil()), "NIL_ID");
  EXPECT_EQ(Streamed(LeaseID::Nil()), "NIL_ID");
  EXPECT_EQ(Streamed(UniqueID::Nil()), "NIL_ID");
  EXPECT_EQ(Streamed(WorkerID::Nil()), "NIL_ID");
  EXPECT_EQ(Streamed(NodeID()), "NIL_ID");
  EXPECT_EQ(Streamed(ClusterID()), "NIL_ID");
}

TEST(IdStreamTest, OthersPrintHex) {
  EXPECT_EQ(Streamed(kJob199), "c7000000");
  EXPECT_EQ(Streamed(TaskID::ForDriverTask(kJob199)),
            "ffffffffffffffffffffffffffffffffffffffffc7000000");
  EXPECT_EQ(Streamed(ActorID::NilFromJob(kJob1)), "ffffffffffffffffffffffff01000000");
  const ObjectID object = ObjectID::FromRandom();
  EXPECT_EQ(Streamed(object), object.Hex());
  const WorkerID worker = WorkerID::FromRandom();
  EXPECT_EQ(Streamed(worker), worker.Hex());
  const LeaseID lease = LeaseID::FromRandom();
  EXPECT_EQ(Streamed(lease), lease.Hex());
  const PlacementGroupID group = PlacementGroupID::Of(kJob1);
  EXPECT_EQ(Streamed(group), group.Hex());
  std::ostringstream os;
  os << kJob1 << "/" << JobID::Nil();
  EXPECT_EQ(os.str(), "01000000/NIL_ID");
}

// ---------------------------------------------------------------------------
// Log fields: RAY_LOG(...).WithField(id) and DefaultLogKey.

template <typename T>
std::string LogKeyOf() {
  return std::string(DefaultLogKey<T>::key);
}

TEST(LogFieldTest, DefaultKeysOfTheIdTypes) {
  EXPECT_EQ(LogKeyOf<ClusterID>(), "cluster_id");
  EXPECT_EQ(LogKeyOf<JobID>(), "job_id");
  EXPECT_EQ(LogKeyOf<WorkerID>(), "worker_id");
  EXPECT_EQ(LogKeyOf<NodeID>(), "node_id");
  EXPECT_EQ(LogKeyOf<ActorID>(), "actor_id");
  EXPECT_EQ(LogKeyOf<TaskID>(), "task_id");
  EXPECT_EQ(LogKeyOf<ObjectID>(), "object_id");
  EXPECT_EQ(LogKeyOf<PlacementGroupID>(), "placement_group_id");
  EXPECT_EQ(LogKeyOf<LeaseID>(), "lease_id");
  EXPECT_EQ(DefaultLogKey<JobID>::key, kLogKeyJobID);
  EXPECT_EQ(DefaultLogKey<LeaseID>::key, kLogKeyLeaseID);
}

TEST(LogFieldTest, FieldsFollowTheMessageInOrder) {
  const JobID job = kJob199;
  const NodeID node = NodeID::FromRandom();
  const TaskID task = TaskID::ForDriverTask(kJob1);
  LogCapture capture;
  RAY_LOG(INFO).WithField(job).WithField(node) << "started " << 3;
  RAY_LOG(WARNING).WithField("attempt", 2).WithField(task).WithField("why", "slow")
      << "retrying";
  ASSERT_EQ(capture.lines().size(), 2u);
  EXPECT_EQ(capture.lines()[0], "[INFO] started 3 job_id=c7000000 node_id=" + node.Hex());
  EXPECT_EQ(capture.lines()[1],
            "[WARNING] retrying attempt=2 task_id=" + task.Hex() + " why=slow");
}

TEST(LogFieldTest, EveryDefaultKeyedTypeAndNil) {
  const ClusterID cluster = ClusterID::FromRandom();
  const WorkerID worker = WorkerID::FromRandom();
  const ActorID actor = ActorID::NilFromJob(kJob1);
  const ObjectID object = ObjectID::FromRandom();
  const PlacementGroupID group = PlacementGroupID::Of(kJob1);
  const LeaseID lease = LeaseID::FromRandom();
  LogCapture capture;
  RAY_LOG(ERROR)
          .WithField(cluster)
          .WithField(worker)
          .WithField(actor)
          .WithField(object)
          .WithField(group)
          .WithField(lease)
          .WithField(JobID::Nil())
      << "m";
  ASSERT_EQ(capture.lines().size(), 1u);
  EXPECT_EQ(capture.lines()[0],
            "[ERROR] m cluster_id=" + cluster.Hex() + " worker_id=" + worker.Hex() +
                " actor_id=" + actor.Hex() + " object_id=" + object.Hex() +
                " placement_group_id=" + group.Hex() + " lease_id=" + lease.Hex() +
                " job_id=NIL_ID");
}

TEST(LogFieldTest, DisabledLevelsEvaluateNothing) {
  const RayLogLevel previous = RayLog::GetLogLevel();
  RayLog::SetLogLevel(RayLogLevel::WARNING);
  int evaluated = 0;
  auto count = [&evaluated]() {
    ++evaluated;
    return kJob1;
  };
  LogCapture capture;
  RAY_LOG(INFO).WithField(count()) << "hidden";
  RAY_LOG(WARNING).WithField(count()) << "shown";
  RayLog::SetLogLevel(previous);
  EXPECT_EQ(evaluated, 1);
  ASSERT_EQ(capture.lines().size(), 1u);
  EXPECT_EQ(capture.lines()[0], "[WARNING] shown job_id=01000000");
}

TEST(LogFieldDeathTest, FatalLineCarriesTheFields) {
  const JobID job = kJob199;
  EXPECT_DEATH(RAY_LOG(FATAL).WithField(job).WithField("k", "v") << "gave up",
               "id_test.cc:[0-9]+: gave up job_id=c7000000 k=v");
}

// ---------------------------------------------------------------------------
// BundleID.

TEST(BundleIdTest, IsAGroupAndAnIndex) {
  static_assert(std::is_same_v<BundleID, std::pair<PlacementGroupID, int64_t>>);
  const PlacementGroupID group = PlacementGroupID::Of(kJob1);
  const BundleID first = std::make_pair(group, 0);
  const BundleID last(group, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(first.first, group);
  EXPECT_EQ(first.second, 0);
  EXPECT_EQ(last.second, std::numeric_limits<int64_t>::max());
  EXPECT_NE(first, last);
  EXPECT_EQ(first, BundleID(PlacementGroupID::FromBinary(group.Binary()), 0));
  EXPECT_NE(first, BundleID(PlacementGroupID::Of(kJob1), 0));
  const BundleID unset;
  EXPECT_TRUE(unset.first.IsNil());
  EXPECT_EQ(unset.second, 0);
}

TEST(BundleIdTest, KeysAHashMapThroughTheGroupHash) {
  auto hash = [](const BundleID &id) {
    return std::hash<PlacementGroupID>()(id.first) ^ std::hash<int64_t>()(id.second);
  };
  std::unordered_map<BundleID, int, decltype(hash)> bundles(8, hash);
  const PlacementGroupID a = PlacementGroupID::Of(kJob1);
  const PlacementGroupID b = PlacementGroupID::Of(kJob199);
  bundles[{a, 0}] = 1;
  bundles[{a, 1}] = 2;
  bundles[{b, 0}] = 3;
  EXPECT_EQ(bundles.size(), 3u);
  EXPECT_EQ(bundles.at(BundleID(a, 1)), 2);
  EXPECT_EQ(bundles.at(BundleID(PlacementGroupID::FromHex(b.Hex()), 0)), 3);
  EXPECT_EQ(bundles.count(BundleID(b, 1)), 0u);
}

// ---------------------------------------------------------------------------
// Ray's exact declarations: constants.h, hex_to_uchar, the protected binary
// constructors and members, and the DEFINE_UNIQUE_ID types' Nil().

TEST(ConstantsTest, RaysValuesInTheGlobalNamespace) {
  static_assert(std::is_same_v<decltype(::kUniqueIDSize), const size_t>);
  static_assert(::kUniqueIDSize == 28);
  static_assert(::kObjectIdIndexSize == 32);
  static_assert(ObjectID::kMaxObjectIndex == (int64_t{1} << ::kObjectIdIndexSize) - 1);
  EXPECT_EQ(kResourceUnitScaling, 10000);
  EXPECT_EQ(kStreamingGeneratorReturn, -2);
  EXPECT_TRUE(kDefaultTaskEventEnabled);
  EXPECT_EQ(kRayletStoreErrorExitCode, 100);
  EXPECT_EQ(kMessagePackOffset, 9);
  EXPECT_STREQ(kImplicitResourcePrefix, "node:__internal_implicit_resource_");
  EXPECT_STREQ(kPlacementGroupConstraintKeyPrefix, "_PG_");
  EXPECT_STREQ(kLabelKeyNodeID, "ray.io/node-id");
  EXPECT_STREQ(kLabelKeyNodeAcceleratorType, "ray.io/accelerator-type");
  EXPECT_STREQ(kLabelKeyTpuPodType, "ray.io/tpu-pod-type");
  EXPECT_STREQ(kClusterIdKey, "ray_cluster_id");
  EXPECT_STREQ(kRayInternalNamespacePrefix, "_ray_internal_");
  EXPECT_STREQ(kLibraryPathEnvName, "LD_LIBRARY_PATH");
}

TEST(HexToUcharTest, EveryCharacter) {
  for (int c = -128; c < 128; ++c) {
    const char ch = static_cast<char>(c);
    bool err = false;
    const unsigned char value = hex_to_uchar(ch, err);
    if (ch >= '0' && ch <= '9') {
      EXPECT_FALSE(err) << c;
      EXPECT_EQ(value, ch - '0');
    } else if (ch >= 'a' && ch <= 'f') {
      EXPECT_FALSE(err) << c;
      EXPECT_EQ(value, ch - 'a' + 10);
    } else if (ch >= 'A' && ch <= 'F') {
      EXPECT_FALSE(err) << c;
      EXPECT_EQ(value, ch - 'A' + 10);
    } else {
      EXPECT_TRUE(err) << c;
      EXPECT_EQ(value, 0) << c;
    }
  }
  // A set flag stays set: one flag can cover a whole string.
  bool err = true;
  EXPECT_EQ(hex_to_uchar('7', err), 7);
  EXPECT_TRUE(err);
}

// Derived ID types reach UniqueID's protected binary constructor and bytes.
class DerivedUniqueID : public UniqueID {
 public:
  explicit DerivedUniqueID(const std::string &binary) : UniqueID(binary) {}
  uint8_t FirstByte() const { return id_[0]; }
};

TEST(ProtectedApiTest, AccessMatchesRay) {
  static_assert(!std::is_constructible_v<UniqueID, const std::string &>);
  static_assert(!std::is_constructible_v<WorkerID, const std::string &>);
  static_assert(!std::is_constructible_v<NodeID, std::string>);
  static_assert(std::is_constructible_v<WorkerID, const UniqueID &>);
  static_assert(!std::is_convertible_v<const UniqueID &, WorkerID>);
  static_assert(std::is_same_v<decltype(WorkerID::Nil()), WorkerID>);
  static_assert(std::is_same_v<decltype(ClusterID::Nil()), ClusterID>);
  static_assert(std::is_same_v<decltype(UniqueID::Nil()), const UniqueID &>);
  static_assert(std::is_same_v<decltype(JobID::Nil()), const JobID &>);
  static_assert(std::is_same_v<decltype(LeaseID::Nil()), const LeaseID &>);
}

TEST(ProtectedApiTest, BinaryConstructorOfADerivedType) {
  const std::string bytes = Unhex("0a0102030405060708090a0b0c0d0e0f101112131415161718191a1b");
  const DerivedUniqueID id(bytes);
  EXPECT_EQ(id.Binary(), bytes);
  EXPECT_EQ(id.FirstByte(), 0x0a);
  EXPECT_EQ(id.Hash(), UniqueID::FromBinary(bytes).Hash());
  const DerivedUniqueID nil{std::string()};
  EXPECT_TRUE(nil.IsNil());
  EXPECT_EQ(nil.FirstByte(), 0xff);
  EXPECT_EQ(nil, UniqueID::Nil());
}

TEST(ProtectedApiDeathTest, BinaryConstructorShowsTheInput) {
  EXPECT_DEATH(DerivedUniqueID("abc"),
               "Check failed: binary.size\\(\\) == Size\\(\\) expected size is 28, but got data "
               "abc of size 3");
  EXPECT_DEATH(DerivedUniqueID(std::string(29, 'z')),
               "expected size is 28, but got data z+ of size 29");
}

TEST(UniqueIdFamilyTest, NilIsAFreshNilValue) {
  WorkerID nil = WorkerID::Nil();
  EXPECT_TRUE(nil.IsNil());
  EXPECT_EQ(nil, WorkerID());
  EXPECT_EQ(nil.Hash(), UniqueID::Nil().Hash());
  nil = WorkerID::FromRandom();
  EXPECT_TRUE(WorkerID::Nil().IsNil());
  EXPECT_TRUE(NodeID::Nil().IsNil());
  EXPECT_EQ(FunctionID::Nil().Binary(), std::string(kUniqueIDSize, '\xff'));
}

// ---------------------------------------------------------------------------
// Abseil containers, as Ray's code keys them with IDs (absl::Hash falls back to
// std::hash, i.e. to Hash()).

TEST(AbslContainerTest, FlatHashSetOfObjectIds) {
  absl::flat_hash_set<ObjectID> objects;
  std::vector<ObjectID> inserted;
  const TaskID task = TaskID::ForDriverTask(kJob1);
  for (ObjectIDIndexType index = 1; index <= 200; ++index) {
    inserted.push_back(ObjectID::FromIndex(task, index));
    EXPECT_TRUE(objects.insert(inserted.back()).second);
  }
  EXPECT_FALSE(objects.insert(ObjectID::FromIndex(task, 7)).second);
  EXPECT_EQ(objects.size(), 200u);
  for (const ObjectID &id : inserted) {
    EXPECT_TRUE(objects.contains(ObjectID::FromBinary(id.Binary())));
  }
  EXPECT_FALSE(objects.contains(ObjectID::FromIndex(task, 201)));
  EXPECT_EQ(objects.erase(ObjectID::FromIndex(task, 1)), 1u);
  EXPECT_EQ(objects.size(), 199u);
}

TEST(AbslContainerTest, FlatHashMapKeyedByEveryKindOfId) {
  absl::flat_hash_map<NodeID, int> nodes;
  const NodeID a = NodeID::FromRandom();
  const NodeID b = NodeID::FromRandom();
  nodes[a] = 1;
  nodes[b] = 2;
  nodes[NodeID::FromHex(a.Hex())] += 10;
  EXPECT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes.at(a), 11);

  absl::flat_hash_map<JobID, std::string> jobs = {{kJob1, "one"}, {kJob199, "many"}};
  EXPECT_EQ(jobs.at(JobID::FromInt(199)), "many");
  EXPECT_FALSE(jobs.contains(JobID::Nil()));

  absl::flat_hash_map<BundleID, NodeID> placement;
  const PlacementGroupID group = PlacementGroupID::Of(kJob1);
  placement[{group, 0}] = a;
  placement[{group, 1}] = b;
  placement[std::make_pair(group, int64_t{0})] = b;
  EXPECT_EQ(placement.size(), 2u);
  EXPECT_EQ(placement.at(BundleID(group, 0)), b);
  EXPECT_FALSE(placement.contains(BundleID(group, 2)));

  // Equal IDs hash equally under absl::Hash too.
  EXPECT_EQ(absl::Hash<LeaseID>()(LeaseID::FromWorker(WorkerID::Nil(), 3)),
            absl::Hash<LeaseID>()(LeaseID::FromWorker(WorkerID::Nil(), 3)));
}

}  // namespace
}  // namespace ray
