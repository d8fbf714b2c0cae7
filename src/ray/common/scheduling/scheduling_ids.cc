#include "ray/common/scheduling/scheduling_ids.h"

#include <string>

#include "absl/strings/str_split.h"
#include "ray/common/ray_config.h"
#include "ray/util/logging.h"

namespace ray {

int64_t StringIdMap::Get(const std::string &string_id) const {
  absl::ReaderMutexLock lock(mutex_);
  auto it = string_to_int_.find(string_id);
  return it == string_to_int_.end() ? -1 : it->second;
}

std::string StringIdMap::Get(uint64_t id) const {
  absl::ReaderMutexLock lock(mutex_);
  auto it = int_to_string_.find(static_cast<int64_t>(id));
  return it == int_to_string_.end() ? "-1" : it->second;
}

int64_t StringIdMap::Insert(const std::string &string_id, uint8_t num_ids) {
  absl::WriterMutexLock lock(mutex_);
  auto existing = string_to_int_.find(string_id);
  if (existing != string_to_int_.end()) {
    return existing->second;
  }
  // The hash, reinterpreted as signed, then reduced with C++'s signed remainder.
  auto candidate = [&](const std::string &key) {
    auto id = static_cast<int64_t>(hasher_(key));
    return num_ids == 0 ? id : id % num_ids;
  };
  int64_t id = candidate(string_id);
  for (size_t attempt = 0; int_to_string_.contains(id); ++attempt) {
    id = candidate(string_id + std::to_string(attempt));
  }
  string_to_int_.emplace(string_id, id);
  int_to_string_.emplace(id, string_id);
  return id;
}

StringIdMap &StringIdMap::InsertOrDie(const std::string &string_id, int64_t value) {
  absl::WriterMutexLock lock(mutex_);
  RAY_CHECK(string_to_int_.emplace(string_id, value).second)
      << string_id << " or " << value << " already exist!";
  RAY_CHECK(int_to_string_.emplace(value, string_id).second)
      << string_id << " or " << value << " already exist!";
  return *this;
}

int64_t StringIdMap::Count() {
  absl::ReaderMutexLock lock(mutex_);
  return static_cast<int64_t>(string_to_int_.size());
}

namespace scheduling {

absl::flat_hash_set<int64_t> &ResourceID::UnitInstanceResources() {
  static absl::flat_hash_set<int64_t> ids = [] {
    absl::flat_hash_set<int64_t> result;
    // Comma-separated, empty entries kept (they intern the empty name), no trimming.
    const std::string predefined =
        RayConfig::instance().predefined_unit_instance_resources();
    if (!predefined.empty()) {
      for (const auto &name : absl::StrSplit(predefined, ',')) {
        int64_t id = ResourceID(std::string(name)).ToInt();
        RAY_CHECK(id < PredefinedResourcesEnum_MAX)
            << name << " is not a valid predefined resource.";
        result.insert(id);
      }
    }
    const std::string custom = RayConfig::instance().custom_unit_instance_resources();
    if (!custom.empty()) {
      for (const auto &name : absl::StrSplit(custom, ',')) {
        result.insert(ResourceID(std::string(name)).ToInt());
      }
    }
    return result;
  }();
  return ids;
}

}  // namespace scheduling
}  // namespace ray
