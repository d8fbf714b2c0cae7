// Counts heap allocations for the benchmarks (see benchmark_harness.h): replaces
// operator new and, through the linker's --wrap, the C allocator functions, so
// allocations made by Rust code (which calls malloc directly) are counted too.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "src/ray/common/benchmarks/benchmark_harness.h"

namespace {

// Benchmarks run on one thread; a relaxed load/store pair keeps the counter
// cheap (no locked instruction) while staying free of data races.
std::atomic<uint64_t> g_allocations{0};

inline void NoteAllocation() {
  g_allocations.store(g_allocations.load(std::memory_order_relaxed) + 1,
                      std::memory_order_relaxed);
}

}  // namespace

namespace ray {
namespace bench {

uint64_t Allocations() { return g_allocations.load(std::memory_order_relaxed); }

}  // namespace bench
}  // namespace ray

extern "C" {

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
int __real_posix_memalign(void **out, size_t alignment, size_t size);
void *__real_aligned_alloc(size_t alignment, size_t size);
void *__real_memalign(size_t alignment, size_t size);

void *__wrap_malloc(size_t size) {
  NoteAllocation();
  return __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size) {
  NoteAllocation();
  return __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size) {
  NoteAllocation();
  return __real_realloc(ptr, size);
}

int __wrap_posix_memalign(void **out, size_t alignment, size_t size) {
  NoteAllocation();
  return __real_posix_memalign(out, alignment, size);
}

void *__wrap_aligned_alloc(size_t alignment, size_t size) {
  NoteAllocation();
  return __real_aligned_alloc(alignment, size);
}

void *__wrap_memalign(size_t alignment, size_t size) {
  NoteAllocation();
  return __real_memalign(alignment, size);
}

}  // extern "C"

namespace {

void *CountedNew(size_t size) {
  NoteAllocation();
  if (void *ptr = __real_malloc(size == 0 ? 1 : size)) {
    return ptr;
  }
  throw std::bad_alloc();
}

void *CountedAlignedNew(size_t size, std::align_val_t alignment) {
  NoteAllocation();
  size_t align = static_cast<size_t>(alignment);
  if (align < sizeof(void *)) {
    align = sizeof(void *);
  }
  void *ptr = nullptr;
  if (__real_posix_memalign(&ptr, align, size == 0 ? 1 : size) == 0) {
    return ptr;
  }
  throw std::bad_alloc();
}

}  // namespace

void *operator new(size_t size) { return CountedNew(size); }
void *operator new[](size_t size) { return CountedNew(size); }
void *operator new(size_t size, const std::nothrow_t &) noexcept {
  NoteAllocation();
  return __real_malloc(size == 0 ? 1 : size);
}
void *operator new[](size_t size, const std::nothrow_t &) noexcept {
  NoteAllocation();
  return __real_malloc(size == 0 ? 1 : size);
}
void *operator new(size_t size, std::align_val_t alignment) {
  return CountedAlignedNew(size, alignment);
}
void *operator new[](size_t size, std::align_val_t alignment) {
  return CountedAlignedNew(size, alignment);
}
void operator delete(void *ptr) noexcept { std::free(ptr); }
void operator delete[](void *ptr) noexcept { std::free(ptr); }
void operator delete(void *ptr, size_t) noexcept { std::free(ptr); }
void operator delete[](void *ptr, size_t) noexcept { std::free(ptr); }
void operator delete(void *ptr, std::align_val_t) noexcept { std::free(ptr); }
void operator delete[](void *ptr, std::align_val_t) noexcept { std::free(ptr); }
void operator delete(void *ptr, size_t, std::align_val_t) noexcept { std::free(ptr); }
void operator delete[](void *ptr, size_t, std::align_val_t) noexcept { std::free(ptr); }
void operator delete(void *ptr, const std::nothrow_t &) noexcept { std::free(ptr); }
void operator delete[](void *ptr, const std::nothrow_t &) noexcept { std::free(ptr); }

