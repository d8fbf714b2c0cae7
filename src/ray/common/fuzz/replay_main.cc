// A main() for the fuzz targets when they are not built with libFuzzer (the default gcc
// build): replays the given corpus files and directories, then runs mutated corpus inputs
// until -runs or -max_total_time is reached. It accepts libFuzzer's flag syntax so that
// run_fuzzer.sh drives both builds the same way; flags it does not know are ignored.

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

using Bytes = std::vector<uint8_t>;

struct Options {
  long long runs = -1;
  long long max_total_time = 0;
  uint64_t seed = 1;
  size_t max_len = 4096;
  bool print_final_stats = false;
  std::vector<std::string> paths;
};

bool Flag(const char *arg, const char *name, long long *value) {
  const size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') {
    return false;
  }
  *value = std::atoll(arg + n + 1);
  return true;
}

Options Parse(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const char *arg = argv[i];
    long long value = 0;
    if (arg[0] != '-') {
      options.paths.push_back(arg);
    } else if (Flag(arg, "-runs", &value)) {
      options.runs = value;
    } else if (Flag(arg, "-max_total_time", &value)) {
      options.max_total_time = value;
    } else if (Flag(arg, "-seed", &value)) {
      options.seed = static_cast<uint64_t>(value);
    } else if (Flag(arg, "-max_len", &value)) {
      options.max_len = static_cast<size_t>(value);
    } else if (Flag(arg, "-print_final_stats", &value)) {
      options.print_final_stats = value != 0;
    }
  }
  return options;
}

void Load(const std::string &path, std::vector<Bytes> *corpus) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    std::exit(1);
  }
  if (S_ISDIR(st.st_mode)) {
    DIR *dir = ::opendir(path.c_str());
    std::vector<std::string> names;
    while (const dirent *entry = ::readdir(dir)) {
      if (entry->d_name[0] != '.') {
        names.push_back(path + "/" + entry->d_name);
      }
    }
    ::closedir(dir);
    for (const std::string &name : names) {
      Load(name, corpus);
    }
    return;
  }
  std::ifstream file(path, std::ios::binary);
  corpus->emplace_back(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// splitmix64: small, seedable, good enough to pick mutations.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_;
};

void Mutate(Bytes &b, const std::vector<Bytes> &corpus, Rng &rng, size_t max_len) {
  static const uint8_t kInteresting[] = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, '0', 'f', 'F', 'g'};
  const int steps = 1 + static_cast<int>(rng.Below(4));
  for (int i = 0; i < steps; ++i) {
    switch (rng.Below(7)) {
    case 0:
      if (!b.empty()) b[rng.Below(b.size())] ^= static_cast<uint8_t>(1u << rng.Below(8));
      break;
    case 1:
      if (!b.empty()) b[rng.Below(b.size())] = static_cast<uint8_t>(rng.Next());
      break;
    case 2:
      if (!b.empty()) b[rng.Below(b.size())] = kInteresting[rng.Below(sizeof(kInteresting))];
      break;
    case 3:
      if (b.size() < max_len) {
        b.insert(b.begin() + static_cast<long>(rng.Below(b.size() + 1)),
                 static_cast<uint8_t>(rng.Next()));
      }
      break;
    case 4:
      if (!b.empty()) b.erase(b.begin() + static_cast<long>(rng.Below(b.size())));
      break;
    case 5:
      if (!b.empty()) b.resize(rng.Below(b.size() + 1));
      break;
    default: {
      // Splice: this input's head with another's tail.
      const Bytes &other = corpus[rng.Below(corpus.size())];
      const size_t head = rng.Below(b.size() + 1);
      const size_t tail = rng.Below(other.size() + 1);
      b.resize(head);
      b.insert(b.end(), other.begin() + static_cast<long>(tail), other.end());
      break;
    }
    }
  }
  if (b.size() > max_len) {
    b.resize(max_len);
  }
}

}  // namespace

int main(int argc, char **argv) {
  const Options options = Parse(argc, argv);
  std::vector<Bytes> corpus;
  for (const std::string &path : options.paths) {
    Load(path, &corpus);
  }
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  long long runs = 0;
  for (const Bytes &input : corpus) {
    LLVMFuzzerTestOneInput(input.data(), input.size());
    ++runs;
  }
  const bool limited = options.runs >= 0 || options.max_total_time > 0;
  if (corpus.empty()) {
    corpus.emplace_back();
  }
  Rng rng(options.seed);
  while (limited && (options.runs < 0 || runs < options.runs) &&
         (options.max_total_time <= 0 || elapsed() < options.max_total_time)) {
    // Check the clock every few hundred runs only.
    for (int i = 0; i < 256 && (options.runs < 0 || runs < options.runs); ++i) {
      Bytes input;
      if (rng.Below(16) == 0) {
        // Fresh random bytes reach fields that the seeds are too short for.
        input.resize(rng.Below(std::min<size_t>(options.max_len, 512) + 1));
        for (uint8_t &b : input) {
          b = static_cast<uint8_t>(rng.Next());
        }
      } else {
        input = corpus[rng.Below(corpus.size())];
        Mutate(input, corpus, rng, options.max_len);
      }
      LLVMFuzzerTestOneInput(input.data(), input.size());
      ++runs;
      // Without coverage feedback, keeping a random few mutants lets inputs drift further
      // from the seeds over a run.
      if (corpus.size() < 4096 && rng.Below(64) == 0) {
        corpus.push_back(std::move(input));
      }
    }
  }
  if (options.print_final_stats) {
    std::printf("stat::number_of_executed_units: %lld\n", runs);
    std::printf("stat::corpus_files: %zu\n", corpus.size());
  }
  std::printf("Done %lld runs in %.0f second(s) (replay driver, seed %llu)\n", runs, elapsed(),
              static_cast<unsigned long long>(options.seed));
  return 0;
}
