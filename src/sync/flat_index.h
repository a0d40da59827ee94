// Open-addressing hash indexes for the per-run identifier tables (every course of the site, every
// identifier of a file): one flat array of slots instead of a heap node per entry, so building,
// probing and freeing an index of a million entries costs a few large allocations, not millions
// of small ones (a node-based std::unordered_map spent a fifth of a re-run in malloc and free).
//
//   FlatMultiIndex<V>  string key -> V, several values per key allowed. The index stores views:
//                      the caller keeps each key's characters alive (e.g. in the row it indexes,
//                      or in a StringArena).
//   FlatIdIndex<V>     int64 key -> one V.
//   StringArena        append-only storage for keys whose characters have no other owner.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace cs::sync {

namespace flat_detail {
inline size_t Capacity(size_t entries) {
  size_t cap = 16;
  while (cap < entries * 2) cap <<= 1;  // load factor at most 1/2
  return cap;
}

enum State : uint8_t { kEmpty, kFull, kErased };  // kErased: a tombstone

// Moves the full slots into a fresh table of `cap` slots (a power of two), each at home(slot) or
// the first empty slot after it; returns how many were moved.
template <typename Slot, typename Home>
size_t Rebuild(std::vector<Slot>& slots, size_t cap, Home home) {
  std::vector<Slot> old;
  old.swap(slots);
  slots.assign(cap, Slot{});
  size_t moved = 0;
  for (Slot& s : old) {
    if (s.state != kFull) continue;
    size_t i = home(s);
    while (slots[i].state != kEmpty) i = (i + 1) & (cap - 1);
    slots[i] = std::move(s);
    ++moved;
  }
  return moved;
}
}  // namespace flat_detail

template <typename V>
class FlatMultiIndex {
 public:
  void Reserve(size_t entries) {
    if (flat_detail::Capacity(entries) > slots_.size()) Rehash(flat_detail::Capacity(entries));
  }

  void Insert(std::string_view key, V value) {
    if ((used_ + 1) * 2 > slots_.size()) Rehash(flat_detail::Capacity(live_ + 1));
    uint32_t h = Hash(key);
    size_t i = h & (slots_.size() - 1);
    while (slots_[i].state == kFull) i = (i + 1) & (slots_.size() - 1);
    if (slots_[i].state == kEmpty) ++used_;
    slots_[i] = Slot{key, std::move(value), h, kFull};
    ++live_;
  }

  // Calls f(value) for every value stored under `key`, in no particular order.
  template <typename F>
  void ForEach(std::string_view key, F&& f) const {
    if (slots_.empty()) return;
    uint32_t h = Hash(key);
    for (size_t i = h & (slots_.size() - 1); slots_[i].state != kEmpty;
         i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.state == kFull && s.hash == h && s.key == key) f(s.value);
    }
  }

  // Removes one entry (key, value); false when there is none.
  bool Erase(std::string_view key, const V& value) {
    if (slots_.empty()) return false;
    uint32_t h = Hash(key);
    for (size_t i = h & (slots_.size() - 1); slots_[i].state != kEmpty;
         i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.state == kFull && s.hash == h && s.key == key && s.value == value) {
        s.state = kErased;  // a tombstone keeps the probe chains of other keys intact
        --live_;
        return true;
      }
    }
    return false;
  }

  size_t size() const { return live_; }

 private:
  using State = flat_detail::State;
  using enum flat_detail::State;
  struct Slot {
    std::string_view key;
    V value{};
    uint32_t hash = 0;  // the low half of the key's hash: most mismatches end here
    State state = kEmpty;
  };

  static uint32_t Hash(std::string_view key) {
    return static_cast<uint32_t>(std::hash<std::string_view>{}(key));
  }

  void Rehash(size_t cap) {
    used_ = live_ =
        flat_detail::Rebuild(slots_, cap, [cap](const Slot& s) { return s.hash & (cap - 1); });
  }

  std::vector<Slot> slots_;
  size_t used_ = 0;  // full or erased slots (what lengthens probes)
  size_t live_ = 0;  // full slots
};

template <typename V>
class FlatIdIndex {
 public:
  void Reserve(size_t entries) {
    if (flat_detail::Capacity(entries) > slots_.size()) Rehash(flat_detail::Capacity(entries));
  }

  // Inserts or replaces.
  void Set(int64_t key, V value) {
    if ((used_ + 1) * 2 > slots_.size()) Rehash(flat_detail::Capacity(live_ + 1));
    size_t i = Home(key);
    size_t free = SIZE_MAX;
    for (; slots_[i].state != kEmpty; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i].state == kFull && slots_[i].key == key) {
        slots_[i].value = std::move(value);
        return;
      }
      if (slots_[i].state == kErased && free == SIZE_MAX) free = i;
    }
    if (free == SIZE_MAX) {
      free = i;
      ++used_;
    }
    slots_[free] = Slot{key, std::move(value), kFull};
    ++live_;
  }

  const V* Find(int64_t key) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = Home(key); slots_[i].state != kEmpty; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i].state == kFull && slots_[i].key == key) return &slots_[i].value;
    }
    return nullptr;
  }

  bool Erase(int64_t key) {
    if (slots_.empty()) return false;
    for (size_t i = Home(key); slots_[i].state != kEmpty; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i].state == kFull && slots_[i].key == key) {
        slots_[i].state = kErased;
        --live_;
        return true;
      }
    }
    return false;
  }

  size_t size() const { return live_; }

 private:
  using State = flat_detail::State;
  using enum flat_detail::State;
  struct Slot {
    int64_t key = 0;
    V value{};
    State state = kEmpty;
  };

  size_t Home(int64_t key) const {
    // Fibonacci hashing: the product's high bits, so consecutive ids spread over the table.
    return static_cast<size_t>((static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  void Rehash(size_t cap) {
    shift_ = 64;
    for (size_t c = cap; c > 1; c >>= 1) --shift_;
    used_ = live_ =
        flat_detail::Rebuild(slots_, cap, [this](const Slot& s) { return Home(s.key); });
  }

  std::vector<Slot> slots_;
  int shift_ = 63;  // 64 - log2(capacity); capacity is at least 16 once slots exist
  size_t used_ = 0;
  size_t live_ = 0;
};

// Append-only character storage in 64 KiB blocks (long strings get a block of their own); the
// views it returns stay valid for the arena's life.
class StringArena {
 public:
  std::string_view Store(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > kBlock / 4) {  // a long string gets a block of its own
      blocks_.push_back(std::make_unique<char[]>(s.size()));
      std::copy(s.begin(), s.end(), blocks_.back().get());
      return {blocks_.back().get(), s.size()};
    }
    if (!block_ || s.size() > kBlock - used_) {
      blocks_.push_back(std::make_unique<char[]>(kBlock));
      block_ = blocks_.back().get();
      used_ = 0;
    }
    char* p = block_ + used_;
    std::copy(s.begin(), s.end(), p);
    used_ += s.size();
    return {p, s.size()};
  }

 private:
  static constexpr size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* block_ = nullptr;
  size_t used_ = 0;
};

}  // namespace cs::sync
