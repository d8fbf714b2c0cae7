// Remote functions written against Ray's own C++ API, as a Ray C++ user's library would
// have them: RustyRay calls them by their RAY_REMOTE names (tests/cluster.rs,
// examples/cluster_cross_language.rs). tools/test-cluster links this file into a shared
// library on the cluster's code search path.
#include <ray/api.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

int64_t Multiply(int64_t a, int64_t b) { return a * b; }

std::string Greet(std::string name) { return "hello " + name + ", from C++"; }

std::map<std::string, int64_t> CountWords(std::vector<std::string> words) {
  std::map<std::string, int64_t> counts;
  for (const auto &word : words) ++counts[word];
  return counts;
}

RAY_REMOTE(Multiply, Greet, CountWords);
