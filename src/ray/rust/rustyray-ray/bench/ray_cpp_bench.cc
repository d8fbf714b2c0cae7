// The cluster microbenchmark's baseline on Ray's own C++ API: the shapes of
// examples/cluster_bench.rs with the same function and actor, written as a Ray C++ user
// would. tools/rustyray-cluster-bench builds it twice: as the driver, and with
// RAY_BENCH_WORKER_LIBRARY as the shared library Ray's C++ workers load.
//
//   ray_cpp_bench WORKER_LIBRARY   (RAY_ADDRESS names the cluster; RUSTYRAY_BENCH_SCALE
//                                   multiplies the counts, RUSTYRAY_BENCH_ONLY picks a shape)
// Prints one `shape<TAB>operations per second` line per shape.
#include <ray/api.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

int Noop() { return 0; }
RAY_REMOTE(Noop);

class BenchCounter {
 public:
  static BenchCounter *FactoryCreate() { return new BenchCounter(); }
  int64_t Add(int64_t amount) {
    count_ += amount;
    return count_;
  }

 private:
  int64_t count_ = 0;
};
RAY_REMOTE(BenchCounter::FactoryCreate, &BenchCounter::Add);

#ifndef RAY_BENCH_WORKER_LIBRARY
namespace {

// Runs `body` (n operations) and prints the rate; skipped unless RUSTYRAY_BENCH_ONLY is
// unset or names the shape.
template <typename Body>
void Measure(const char *shape, size_t n, Body &&body) {
  const char *only = std::getenv("RUSTYRAY_BENCH_ONLY");
  if (only != nullptr && std::string(only) != shape) return;
  auto started = std::chrono::steady_clock::now();
  body();
  std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - started;
  std::cout << shape << '\t' << static_cast<double>(n) / seconds.count() << std::endl;
}

template <typename T>
void Expect(const char *what, const T &got, const T &want) {
  if (!(got == want)) throw std::runtime_error(std::string(what) + ": unexpected value");
}

int Run(const std::string &library) {
  const char *address = std::getenv("RAY_ADDRESS");
  if (address == nullptr) throw std::runtime_error("RAY_ADDRESS is not set");
  double scale = 1.0;
  if (const char *s = std::getenv("RUSTYRAY_BENCH_SCALE")) scale = std::stod(s);
  auto count = [scale](double base) {
    return std::max<size_t>(1, static_cast<size_t>(std::llround(base * scale)));
  };

  ray::RayConfig config;
  config.address = address;
  config.code_search_path = {library};
  ray::Init(config);

  // Every task asks for one CPU, as Ray's Python API does by default (the C++ API asks for
  // nothing, and then Ray starts a worker process for every task in flight).
  // Start the workers before anything is timed (Ray starts them on first use).
  std::vector<ray::ObjectRef<int>> warm;
  for (int i = 0; i < 100; ++i) warm.push_back(ray::Task(Noop).SetResource("CPU", 1.0).Remote());
  ray::Get(warm);
  ray::ActorHandle<BenchCounter> counter = ray::Actor(BenchCounter::FactoryCreate).Remote();
  int64_t total = *ray::Get(counter.Task(&BenchCounter::Add).Remote(1));

  size_t n = count(300);
  Measure("tasks sync", n, [&] {
    for (size_t i = 0; i < n; ++i) Expect("Noop", *ray::Get(ray::Task(Noop).SetResource("CPU", 1.0).Remote()), 0);
  });

  n = count(1000);
  Measure("tasks async", n, [&] {
    std::vector<ray::ObjectRef<int>> refs;
    refs.reserve(n);
    for (size_t i = 0; i < n; ++i) refs.push_back(ray::Task(Noop).SetResource("CPU", 1.0).Remote());
    for (const auto &value : ray::Get(refs)) Expect("Noop", *value, 0);
  });

  n = count(1000);
  Measure("actor calls sync", n, [&] {
    for (size_t i = 0; i < n; ++i) {
      ++total;
      Expect("Add", *ray::Get(counter.Task(&BenchCounter::Add).Remote(1)), total);
    }
  });

  n = count(2000);
  Measure("actor calls async", n, [&] {
    std::vector<ray::ObjectRef<int64_t>> refs;
    refs.reserve(n);
    for (size_t i = 0; i < n; ++i) refs.push_back(counter.Task(&BenchCounter::Add).Remote(1));
    for (const auto &value : ray::Get(refs)) Expect("Add", *value, ++total);
  });

  n = count(2000);
  Measure("put", n, [&] {
    for (size_t i = 0; i < n; ++i) ray::Put(static_cast<int64_t>(i));
  });

  n = count(5000);
  ray::ObjectRef<int64_t> small = ray::Put(static_cast<int64_t>(7));
  Measure("get", n, [&] {
    for (size_t i = 0; i < n; ++i) Expect("get", *ray::Get(small), static_cast<int64_t>(7));
  });

  n = count(50);
  std::string payload(size_t{1} << 20, 'x');
  Measure("1 MiB put/get", n, [&] {
    for (size_t i = 0; i < n; ++i) {
      Expect("1 MiB length", ray::Get(ray::Put(payload))->size(), payload.size());
    }
  });

  ray::Shutdown();
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::cerr << "usage: ray_cpp_bench WORKER_LIBRARY (RAY_ADDRESS names the cluster)\n";
    return 2;
  }
  try {
    return Run(argv[1]);
  } catch (const std::exception &e) {
    std::cerr << "ray_cpp_bench: " << e.what() << '\n';
    return 1;
  }
}
#endif  // RAY_BENCH_WORKER_LIBRARY
