// Differential fuzzer: StatusOr<T> over each Status implementation, driven by a program of
// StatusOr operations (adapter_body.inc), plus its fatal paths.

#include <cstddef>
#include <cstdint>
#include <string>

#include "src/ray/common/fuzz/harness.h"
#include "src/ray/common/fuzz/input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace ray_equiv;
  Case c(data, size);
  Input in(data, size);
  const uint8_t mode = in.U8();
  if (mode & 0x80) {
    StatusSpec spec;
    spec.code = static_cast<int8_t>(in.U8());
    spec.message = in.Sized(32);
    spec.default_rpc_code = false;
    spec.rpc_code = static_cast<int32_t>(in.U32());
    // value() of an error StatusOr is fatal with the status text.
    SameFatal("StatusOr::value() of an error",
              [&](const Impl &impl) { impl.StatusOrValueOfError(spec); });
    if (mode & 1) {
      SameFatal("StatusOr from an OK Status", [](const Impl &impl) { impl.StatusOrFromOk(); });
    }
    return 0;
  }
  const std::string program = in.Rest();
  Same("StatusOr program", Ref().StatusOrProgram(program), Rust().StatusOrProgram(program));
  return 0;
}
