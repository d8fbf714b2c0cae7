// Ray's process-wide constants (ray/common/constants.h in Ray): plain
// data with no behaviour, so the C++ reference and the Rust-backed drop-in
// share this one header. Like Ray, they live in the global namespace.

#pragma once

#include <climits>
#include <cstddef>

// Whether core workers record task events unless configured otherwise.
constexpr bool kDefaultTaskEventEnabled = true;

// Resource quantities are fixed-point numbers with this many units per 1.
constexpr int kResourceUnitScaling = 10000;

constexpr char kWorkerSetupHookKeyName[] = "FunctionsToRun";

// The return-count marker of a streaming generator task.
constexpr int kStreamingGeneratorReturn = -2;

// Bytes in a full-length ID (UniqueID and the DEFINE_UNIQUE_ID types).
constexpr size_t kUniqueIDSize = 28;

// Width in bits of the object index at the end of an ObjectID.
constexpr int kObjectIdIndexSize = 32;
static_assert(kObjectIdIndexSize % CHAR_BIT == 0,
              "the object index must be a whole number of bytes");

// Exit code of a raylet that lost its plasma store socket.
constexpr int kRayletStoreErrorExitCode = 100;

constexpr char kObjectTablePrefix[] = "ObjectTable";

constexpr char kClusterIdKey[] = "ray_cluster_id";
constexpr char kAuthTokenKey[] = "authorization";
constexpr char kBearerPrefix[] = "Bearer ";

constexpr char kWorkerDynamicOptionPlaceholder[] = "RAY_WORKER_DYNAMIC_OPTION_PLACEHOLDER";

constexpr char kNodeManagerPortPlaceholder[] = "RAY_NODE_MANAGER_PORT_PLACEHOLDER";

// Address and port dialled (never written to) to learn the local IP address.
constexpr char kPublicDNSServerIp[] = "8.8.8.8";
constexpr int kPublicDNSServerPort = 53;

constexpr char kEnvVarKeyJobId[] = "RAY_JOB_ID";
constexpr char kEnvVarKeyRayletPid[] = "RAY_RAYLET_PID";

constexpr char kEnvVarKeyGrpcThreadCount[] = "RAY_num_grpc_internal_threads";

// Header bytes before a cross-language MessagePack payload.
constexpr int kMessagePackOffset = 9;

// The script that prepares a Python worker's environment.
constexpr char kSetupWorkerFilename[] = "setup_worker.py";

constexpr char kRayVersion[] = "3.0.0.dev0";

// Keys the autoscaler keeps in the GCS key-value store.
constexpr char kGcsAutoscalerStateNamespace[] = "__autoscaler";
constexpr char kGcsAutoscalerV2EnabledKey[] = "__autoscaler_v2_enabled";
constexpr char kGcsAutoscalerClusterConfigKey[] = "__autoscaler_cluster_config";

// Environment variables a node reads its cloud identity and labels from.
constexpr char kNodeCloudInstanceIdEnv[] = "RAY_CLOUD_INSTANCE_ID";
constexpr char kNodeTypeNameEnv[] = "RAY_NODE_TYPE_NAME";
constexpr char kNodeMarketTypeEnv[] = "RAY_NODE_MARKET_TYPE";
constexpr char kNodeRegionEnv[] = "RAY_NODE_REGION";
constexpr char kNodeZoneEnv[] = "RAY_NODE_ZONE";
constexpr char kNodeCloudInstanceTypeNameEnv[] = "RAY_CLOUD_INSTANCE_TYPE_NAME";

// Prefix of the label that pins a placement group bundle to a node.
constexpr char kPlacementGroupConstraintKeyPrefix[] = "_PG_";

#if defined(__APPLE__)
constexpr char kLibraryPathEnvName[] = "DYLD_LIBRARY_PATH";
#elif defined(_WIN32)
constexpr char kLibraryPathEnvName[] = "PATH";
#else
constexpr char kLibraryPathEnvName[] = "LD_LIBRARY_PATH";
#endif

// Labels the raylet puts on every node (all under the "ray.io/" prefix).
#define RAY_LABEL_KEY_PREFIX "ray.io/"
constexpr char kLabelKeyNodeID[] = RAY_LABEL_KEY_PREFIX "node-id";
constexpr char kLabelKeyNodeAcceleratorType[] = RAY_LABEL_KEY_PREFIX "accelerator-type";
constexpr char kLabelKeyNodeMarketType[] = RAY_LABEL_KEY_PREFIX "market-type";
constexpr char kLabelKeyNodeRegion[] = RAY_LABEL_KEY_PREFIX "availability-region";
constexpr char kLabelKeyNodeZone[] = RAY_LABEL_KEY_PREFIX "availability-zone";
constexpr char kLabelKeyNodeGroup[] = RAY_LABEL_KEY_PREFIX "node-group";
// TPU labels, for scheduling multi-host TPU workloads.
constexpr char kLabelKeyTpuTopology[] = RAY_LABEL_KEY_PREFIX "tpu-topology";
constexpr char kLabelKeyTpuSliceName[] = RAY_LABEL_KEY_PREFIX "tpu-slice-name";
constexpr char kLabelKeyTpuWorkerId[] = RAY_LABEL_KEY_PREFIX "tpu-worker-id";
constexpr char kLabelKeyTpuPodType[] = RAY_LABEL_KEY_PREFIX "tpu-pod-type";
#undef RAY_LABEL_KEY_PREFIX

// Every node has a resource of quantity 1 under this prefix; the autoscaler
// relies on the exact text.
constexpr char kImplicitResourcePrefix[] = "node:__internal_implicit_resource_";

// GCS key under which the GCS records its process ID.
constexpr char kGcsPidKey[] = "gcs_pid";

// Namespaces with this prefix are Ray's own.
constexpr char kRayInternalNamespacePrefix[] = "_ray_internal_";
