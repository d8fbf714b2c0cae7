// Abseil from the Debian archive is prebuilt without sanitizers, while its hash tables'
// inline code, compiled into sanitized binaries, marks unused slots as poisoned and
// expects the archive's code to unmark them. The archive never does, so AddressSanitizer
// would report its own bookkeeping as use-after-poison. Turning user poisoning off keeps
// every other check; the environment's ASAN_OPTIONS still add to or override this.

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RAY_SYSTEM_ABSL_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RAY_SYSTEM_ABSL_ASAN 1
#endif

#ifdef RAY_SYSTEM_ABSL_ASAN
extern "C" const char *__asan_default_options() { return "allow_user_poisoning=0"; }
#endif
