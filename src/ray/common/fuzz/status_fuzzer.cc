// Differential fuzzer: Status construction (any code value, any message bytes, rpc codes,
// source locations, the named factories), operator<< appends of every argument kind,
// rendering, copy/move, CodeAsString and StringToCode, and the fatal paths.

#include <cstddef>
#include <cstdint>
#include <string>

#include "src/ray/common/fuzz/harness.h"
#include "src/ray/common/fuzz/input.h"

namespace ray_equiv {
namespace {

StatusSpec ReadSpec(Input &in) {
  StatusSpec spec;
  const uint8_t flags = in.U8();
  if (flags & 1) {
    spec.factory = in.U8() % Ref().StatusFactoryCount();
  }
  spec.code = static_cast<int8_t>(in.U8());
  spec.message = in.Sized(48);
  spec.default_rpc_code = !(flags & 2);
  spec.rpc_code = static_cast<int32_t>(in.U32());
  spec.has_location = flags & 4;
  spec.file = in.Sized(24);
  spec.line = static_cast<int32_t>(in.U32());
  spec.chained = flags & 8;
  const int appends = in.U8() % 6;
  for (int i = 0; i < appends; ++i) {
    AppendArg arg;
    arg.type = static_cast<AppendArg::Type>(in.U8() % AppendArg::kTypeCount);
    arg.text = in.Sized(16);
    arg.bits = in.U64();
    spec.appends.push_back(arg);
  }
  return spec;
}

}  // namespace
}  // namespace ray_equiv

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace ray_equiv;
  Case c(data, size);
  Input in(data, size);
  Same("StatusFactoryCount", Ref().StatusFactoryCount(), Rust().StatusFactoryCount());
  const uint8_t mode = in.U8();
  const StatusSpec spec = ReadSpec(in);
  Same("Status", Ref().StatusRender(spec), Rust().StatusRender(spec));
  Same("CodeAsString", Ref().StatusCodeAsString(spec.code), Rust().StatusCodeAsString(spec.code));
  const std::string name = Ref().StatusCodeAsString(spec.code);
  Same("StringToCode(CodeAsString)", Ref().StatusStringToCode(name),
       Rust().StatusStringToCode(name));
  const std::string text = in.Rest();
  Same("StringToCode", Ref().StatusStringToCode(text), Rust().StatusStringToCode(text));
  // A near-miss of a code name: a one-byte edit of the name.
  if (!name.empty() && !text.empty()) {
    std::string edited = name;
    edited[static_cast<uint8_t>(text[0]) % edited.size()] = text.back();
    Same("StringToCode(edited name)", Ref().StatusStringToCode(edited),
         Rust().StatusStringToCode(edited));
  }
  if (mode & 1) {
    SameFatal("operator<< on an OK Status",
              [&](const Impl &impl) { impl.StatusAppendToOk(spec.message); });
  }
  if (mode & 2) {
    // OK() is the only spec that passes RAY_CHECK_OK; its index is the last one.
    const bool ok = spec.factory == Ref().StatusFactoryCount() - 1;
    if (ok) {
      Ref().StatusCheckOk(spec);
      Rust().StatusCheckOk(spec);
    } else {
      SameFatal("RAY_CHECK_OK", [&](const Impl &impl) { impl.StatusCheckOk(spec); });
    }
  }
  return 0;
}
