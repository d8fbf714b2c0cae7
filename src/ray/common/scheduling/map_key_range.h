// MapKeyRange: the keys of a map as a read-only forward range.
//
// Ray's ResourceSet::ResourceIdIterator and TaskResourceInstances::ResourceIdIterator
// are Boost's select_first_range (boost::adaptors::keys). Boost is not part of this
// build, so this is the equivalent Ray's callers rely on: usable in range-for, with
// begin()/end() yielding `const Key &`, plus size() and empty(). It holds a pointer to
// the map, so it is valid as long as the map is and not modified.

#pragma once

#include <cstddef>
#include <iterator>

namespace ray {

template <typename Map>
class MapKeyRange {
 public:
  using key_type = typename Map::key_type;

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = key_type;
    using difference_type = std::ptrdiff_t;
    using pointer = const key_type *;
    using reference = const key_type &;

    const_iterator() = default;
    explicit const_iterator(typename Map::const_iterator it) : it_(it) {}

    reference operator*() const { return it_->first; }
    pointer operator->() const { return &it_->first; }

    const_iterator &operator++() {
      ++it_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator previous = *this;
      ++it_;
      return previous;
    }

    bool operator==(const const_iterator &other) const { return it_ == other.it_; }
    bool operator!=(const const_iterator &other) const { return it_ != other.it_; }

   private:
    typename Map::const_iterator it_;
  };

  using iterator = const_iterator;
  using value_type = key_type;

  explicit MapKeyRange(const Map &map) : map_(&map) {}

  const_iterator begin() const { return const_iterator(map_->begin()); }
  const_iterator end() const { return const_iterator(map_->end()); }
  size_t size() const { return map_->size(); }
  bool empty() const { return map_->empty(); }

 private:
  const Map *map_;
};

}  // namespace ray
