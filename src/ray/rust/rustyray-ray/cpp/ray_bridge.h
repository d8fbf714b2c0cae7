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
// Ray's ActorID is 16 bytes (12 unique bytes + the job id).
#define RR_ACTOR_ID_LEN 16

enum rr_language {
  RR_LANGUAGE_CPP = 1,
  RR_LANGUAGE_PYTHON = 2,
};

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

// `ray_namespace` empty: an anonymous namespace of the job's own, as Ray's default.
int32_t rr_init(const char *address, size_t address_len, const char *code_search_path,
                size_t code_search_path_len, const char *ray_namespace,
                size_t ray_namespace_len, rr_bytes *out);
// The job's namespace, in `out`.
int32_t rr_namespace(rr_bytes *out);
int32_t rr_shutdown(rr_bytes *out);

// Stores `data`; the new id holds one local reference, dropped with rr_release.
int32_t rr_put(const uint8_t *data, size_t len, uint8_t id_out[RR_OBJECT_ID_LEN],
               rr_bytes *out);
// timeout_ms < 0 waits forever. language: 0 for this bridge's own objects, or the
// rr_language of the function whose result the object is (see rr_submit_foreign).
int32_t rr_get(const uint8_t id[RR_OBJECT_ID_LEN], int32_t language, int32_t timeout_ms,
               rr_bytes *out);
// ids: n consecutive ids; ready_out[i] is set to 1 for each ready object.
// Waits until all n objects (ids: n consecutive ids; languages: n of rr_get's language, or
// null for all 0) are ready, then gets them. On success each object has a status in
// statuses_out[i] and its value, or its error's text, in values_out[i].
int32_t rr_get_many(const uint8_t *ids, const uint8_t *languages, size_t n, int32_t timeout_ms,
                    rr_bytes *values_out, int32_t *statuses_out, rr_bytes *out);
int32_t rr_wait(const uint8_t *ids, size_t n, int32_t num_objects, int32_t timeout_ms,
                uint8_t *ready_out, rr_bytes *out);
void rr_release(const uint8_t id[RR_OBJECT_ID_LEN]);

// Runs the Rust function `function` in a worker; the result id holds one local reference.
int32_t rr_submit(const char *function, size_t function_len, const rr_arg *args,
                  size_t nargs, const rr_resource *resources, size_t nresources,
                  uint8_t id_out[RR_OBJECT_ID_LEN], rr_bytes *out);


// Calls a function of another language: a C++ function registered with RAY_REMOTE as
// `function` (module unused), or the Python function `module`.`function`. Value arguments
// are MessagePack values, sent in the form that language's workers read.
int32_t rr_submit_foreign(int32_t language, const char *module, size_t module_len,
                          const char *function, size_t function_len, const rr_arg *args,
                          size_t nargs, const rr_resource *resources, size_t nresources,
                          uint8_t id_out[RR_OBJECT_ID_LEN], rr_bytes *out);

// Actor creation options. name_len 0: an unnamed actor; max_restarts -1: restart without
// limit; max_concurrency above 1: Ray runs that many calls at once, on threads of the
// actor's worker.
typedef struct {
  const char *name;
  size_t name_len;
  // Empty: the job's namespace.
  const char *ray_namespace;
  size_t ray_namespace_len;
  int32_t max_restarts;
  int32_t max_concurrency;
  const rr_resource *resources;
  size_t nresources;
} rr_actor_options;

// Creates an actor of the Rust actor type `actor_type` in a worker; its ActorID goes to
// `actor_id_out`. Ray runs the constructor asynchronously: a failing constructor shows as
// an actor-died error of the actor's calls.
int32_t rr_actor_create(const char *actor_type, size_t actor_type_len, const rr_arg *args,
                        size_t nargs, const rr_actor_options *options,
                        uint8_t actor_id_out[RR_ACTOR_ID_LEN], rr_bytes *out);
// Calls the method `method` of the actor; the result id holds one local reference.
int32_t rr_actor_call(const uint8_t actor_id[RR_ACTOR_ID_LEN], const char *method,
                      size_t method_len, const rr_arg *args, size_t nargs,
                      uint8_t id_out[RR_OBJECT_ID_LEN], rr_bytes *out);
// The ActorID of the named actor in `ray_namespace` (empty: the job's): *found is 1 and the
// id in `actor_id_out`, or *found is 0 when there is no live actor of that name.
int32_t rr_actor_get(const char *name, size_t name_len, const char *ray_namespace,
                     size_t ray_namespace_len, uint8_t actor_id_out[RR_ACTOR_ID_LEN],
                     int32_t *found, rr_bytes *out);
// Ray's serialized handle of the actor (for another process to call it), in `out`.
int32_t rr_actor_serialize(const uint8_t actor_id[RR_ACTOR_ID_LEN], rr_bytes *out);
// Registers a handle serialized by rr_actor_serialize in this process; its actor's id.
int32_t rr_actor_deserialize(const uint8_t *handle, size_t handle_len,
                             uint8_t actor_id_out[RR_ACTOR_ID_LEN], rr_bytes *out);
// Kills the actor's worker process; no_restart != 0 also forbids restarting it.
int32_t rr_actor_kill(const uint8_t actor_id[RR_ACTOR_ID_LEN], int32_t no_restart,
                      rr_bytes *out);

// Exported by the Rust side: runs a registered function on separately encoded arguments.
// Returns 0 and the encoded result, or nonzero and the error text, in a buffer Rust owns
// and frees with rustyray_ray_free.
int32_t rustyray_ray_dispatch(const char *name, size_t name_len, const rr_arg *args,
                              size_t nargs, rr_bytes *out);
void rustyray_ray_free(rr_bytes *bytes);
// Exported by the Rust side: builds the state of a new actor of the registered type
// `actor_type` (into *state_out), or returns nonzero and the error text.
int32_t rustyray_ray_actor_new(const char *actor_type, size_t actor_type_len,
                               const rr_arg *args, size_t nargs, void **state_out,
                               rr_bytes *out);
// Exported by the Rust side: runs the method `method` on an actor's state.
int32_t rustyray_ray_actor_call(void *state, const char *method, size_t method_len,
                                const rr_arg *args, size_t nargs, rr_bytes *out);

#ifdef __cplusplus
}
#endif

#endif  // RUSTYRAY_RAY_BRIDGE_H_
