#include "ray/common/scheduling/scheduling_ids.h"

#include <string>

#include "ray/common/ray_config.h"
#include "scheduling/bridge_util.h"

namespace ray {

namespace bridge = ::ray::rust::scheduling;
using scheduling_bridge::Bytes;
using scheduling_bridge::FailCheck;

StringIdMap::StringIdMap() : map_(bridge::string_id_map_new().into_raw()), owned_(true) {}

StringIdMap::~StringIdMap() {
  if (owned_) {
    (void)::rust::Box<bridge::StringIdMap>::from_raw(
        const_cast<bridge::StringIdMap *>(map_));
  }
}

int64_t StringIdMap::Get(const std::string &string_id) const {
  return bridge::string_id_map_get_id(*map_, Bytes(string_id));
}

std::string StringIdMap::Get(uint64_t id) const {
  std::string name;
  bridge::string_id_map_get_name(*map_, static_cast<int64_t>(id), name);
  return name;
}

int64_t StringIdMap::Insert(const std::string &string_id, uint8_t num_ids) {
  int64_t id = -1;
  std::string failure;
  if (!bridge::string_id_map_insert(*map_, Bytes(string_id), num_ids, id, failure)) {
    FailCheck(failure);
  }
  return id;
}

StringIdMap &StringIdMap::InsertOrDie(const std::string &string_id, int64_t value) {
  std::string failure;
  if (!bridge::string_id_map_insert_or_die(*map_, Bytes(string_id), value, failure)) {
    // Rust composes the whole line: which of Ray's two checks failed, and its message.
    FailCheck(failure);
  }
  return *this;
}

int64_t StringIdMap::Count() { return bridge::string_id_map_count(*map_); }

namespace scheduling {

absl::flat_hash_set<int64_t> &ResourceID::UnitInstanceResources() {
  static absl::flat_hash_set<int64_t> ids = [] {
    ::rust::Vec<int64_t> built;
    std::string failure;
    if (!bridge::unit_instance_ids_from_config(
            Bytes(RayConfig::instance().predefined_unit_instance_resources()),
            Bytes(RayConfig::instance().custom_unit_instance_resources()),
            built,
            failure)) {
      FailCheck("Check failed: id < PredefinedResourcesEnum_MAX " + failure);
    }
    return absl::flat_hash_set<int64_t>(built.begin(), built.end());
  }();
  return ids;
}

}  // namespace scheduling

namespace {

// Rust's allocation code asks the C++ set, which Ray's tests edit in place, so both
// always agree.
extern "C" bool HostIsUnitInstanceResource(int64_t id) {
  return scheduling::ResourceID(id).IsUnitInstanceResource();
}

const bool kHostSetInstalled =
    (bridge::use_host_unit_instance_set(reinterpret_cast<size_t>(&HostIsUnitInstanceResource)),
     true);

}  // namespace

}  // namespace ray
