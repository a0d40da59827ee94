#include "sync/file_area.h"

#include <fnmatch.h>

#include <algorithm>
#include <ctime>
#include <vector>

#include "sync/errors.h"

namespace fs = std::filesystem;

namespace cs::sync {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool IsUnder(const fs::path& child, const fs::path& parent) {
  auto c = child.lexically_normal();
  auto p = parent.lexically_normal();
  auto [pe, ce] = std::mismatch(p.begin(), p.end(), c.begin(), c.end());
  // A trailing empty element of `parent` (from a trailing slash) is fine.
  return pe == p.end() || (std::next(pe) == p.end() && pe->empty());
}

}  // namespace

FileArea::FileArea(fs::path data_dir)
    : data_(fs::absolute(std::move(data_dir)).lexically_normal()) {}

void FileArea::EnsureDirs() const {
  for (const auto& d : {files_dir(), archives_dir(), failed_dir(), reports_dir(), locks_dir()}) {
    fs::create_directories(d);
  }
}

std::optional<fs::path> FileArea::ResolveLocation(const std::string& location) const {
  size_t start = 0;
  while (start <= location.size()) {
    size_t comma = location.find(',', start);
    std::string part = Trim(
        location.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!part.empty()) {
      fs::path rel(part);
      fs::path dir = files_dir() / rel.parent_path();
      std::string pattern = rel.filename().string();
      if (pattern.find_first_of("*?[") == std::string::npos) {
        fs::path candidate = SafePath(part);
        if (fs::is_regular_file(candidate)) return candidate;
      } else if (fs::is_directory(dir) && IsUnder(dir, files_dir())) {
        std::vector<std::pair<fs::file_time_type, fs::path>> matches;
        for (const auto& e : fs::directory_iterator(dir)) {
          if (!e.is_regular_file()) continue;
          if (fnmatch(pattern.c_str(), e.path().filename().c_str(), FNM_PERIOD) == 0) {
            matches.emplace_back(e.last_write_time(), e.path());
          }
        }
        if (!matches.empty()) {
          std::sort(matches.begin(), matches.end());
          return matches.front().second;
        }
      }
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return std::nullopt;
}

fs::path FileArea::SafePath(const std::string& relative) const {
  if (relative.empty()) throw Rejected("empty file name");
  fs::path rel(relative);
  if (rel.is_absolute() || relative[0] == '/' || relative[0] == '\\') {
    throw Rejected("file name '" + relative + "' must be relative to the file area");
  }
  for (const auto& part : rel) {
    if (part == "..") throw Rejected("file name '" + relative + "' leaves the file area");
  }
  if (relative.find('\0') != std::string::npos) throw Rejected("file name holds a NUL byte");
  fs::path full = (files_dir() / rel).lexically_normal();
  if (!IsUnder(full, files_dir())) {
    throw Rejected("file name '" + relative + "' leaves the file area");
  }
  // Links: whatever exists of the path must resolve inside files/ too.
  std::error_code ec;
  fs::path existing = full;
  while (!existing.empty() && !fs::exists(fs::symlink_status(existing, ec))) {
    existing = existing.parent_path();
  }
  if (!existing.empty()) {
    fs::path real = fs::weakly_canonical(existing, ec);
    fs::path root = fs::weakly_canonical(files_dir(), ec);
    if (!ec && !IsUnder(real, root)) {
      throw Rejected("file name '" + relative + "' leaves the file area (link)");
    }
  }
  return full;
}

bool FileArea::Contains(const fs::path& p) const {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(fs::absolute(p), ec);
  fs::path root = fs::weakly_canonical(data_, ec);
  return IsUnder(real, root);
}

std::string FileArea::Relative(const fs::path& p) const {
  return fs::absolute(p).lexically_normal().lexically_relative(data_).generic_string();
}

std::string FileArea::DisplayName(const fs::path& p) const {
  fs::path abs = fs::absolute(p).lexically_normal();
  if (IsUnder(abs, files_dir())) return abs.lexically_relative(files_dir()).generic_string();
  return p.string();
}

std::string FileArea::Timestamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

fs::path FileArea::Unique(const fs::path& dir, const std::string& name) {
  fs::path p = dir / name;
  if (!fs::exists(p)) return p;
  fs::path n(name);
  std::string stem = n.stem().string();
  std::string ext = n.extension().string();
  for (int i = 2;; ++i) {
    p = dir / (stem + "-" + std::to_string(i) + ext);
    if (!fs::exists(p)) return p;
  }
}

}  // namespace cs::sync
