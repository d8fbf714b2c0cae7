// The C interface between Rust and Ray's C++ API: plain bytes only, so that no std::string
// (whose ABI differs between libray_api.so and the rest of the program) and no C++
// exception crosses it. Every call returns a status (0 = OK, see rr_status); on error
// `*out` holds the message.
#ifndef RUSTYRAY_RAY_BRIDGE_H_
#define RUSTYRAY_RAY_BRIDGE_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rr_status {
  RR_OK = 0,
  RR_RAY_ERROR = 1,
  RR_TASK_ERROR = 2,
  RR_TIMEOUT = 3,
  RR_WORKER_DIED = 4,
  RR_ACTOR_DIED = 5,
  RR_FUNCTION_NOT_FOUND = 6,
  RR_INVALID_ARGUMENT = 7,
  RR_NOT_INITIALIZED = 8,
};

// Ray's ObjectID is 28 bytes (task id + return index).
#define RR_OBJECT_ID_LEN 28

// Bytes allocated by the C++ side with malloc; release with rr_bytes_free.
typedef struct {
  uint8_t *data;
  size_t len;
} rr_bytes;

// A task argument: an encoded value, or (is_ref != 0) a 28-byte object id Ray resolves
// before the task runs.
typedef struct {
  const uint8_t *data;
  size_t len;
  int32_t is_ref;
} rr_arg;

typedef struct {
  const char *name;
  size_t name_len;
  double amount;
} rr_resource;

void rr_bytes_free(rr_bytes *bytes);

int32_t rr_init(const char *address, size_t address_len, const char *code_search_path,
                size_t code_search_path_len, rr_bytes *out);
int32_t rr_shutdown(rr_bytes *out);

// Stores `data`; the new id holds one local reference, dropped with rr_release.
int32_t rr_put(const uint8_t *data, size_t len, uint8_t id_out[RR_OBJECT_ID_LEN],
               rr_bytes *out);
// timeout_ms < 0 waits forever.
int32_t rr_get(const uint8_t id[RR_OBJECT_ID_LEN], int32_t timeout_ms, rr_bytes *out);
// ids: n consecutive ids; ready_out[i] is set to 1 for each ready object.
int32_t rr_wait(const uint8_t *ids, size_t n, int32_t num_objects, int32_t timeout_ms,
                uint8_t *ready_out, rr_bytes *out);
void rr_release(const uint8_t id[RR_OBJECT_ID_LEN]);

// Runs the Rust function `function` in a worker; the result id holds one local reference.
int32_t rr_submit(const char *function, size_t function_len, const rr_arg *args,
                  size_t nargs, const rr_resource *resources, size_t nresources,
                  uint8_t id_out[RR_OBJECT_ID_LEN], rr_bytes *out);

// Exported by the Rust side: runs a registered function on separately encoded arguments.
// Returns 0 and the encoded result, or nonzero and the error text, in a buffer Rust owns
// and frees with rustyray_ray_free.
int32_t rustyray_ray_dispatch(const char *name, size_t name_len, const rr_arg *args,
                              size_t nargs, rr_bytes *out);
void rustyray_ray_free(rr_bytes *bytes);

#ifdef __cplusplus
}
#endif

#endif  // RUSTYRAY_RAY_BRIDGE_H_
