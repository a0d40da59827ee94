// The data folder's command file area (contract §6): where inputs are found by their configured
// names, and where archives, tryback files and reports go. User-supplied names never escape it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace cs::sync {

class FileArea {
 public:
  explicit FileArea(std::filesystem::path data_dir);
  const std::filesystem::path& data_dir() const { return data_; }
  std::filesystem::path files_dir() const { return data_ / "files"; }
  std::filesystem::path archives_dir() const { return files_dir() / "archives"; }
  std::filesystem::path failed_dir() const { return files_dir() / "failed"; }
  std::filesystem::path reports_dir() const { return files_dir() / "reports"; }
  std::filesystem::path drop_dir() const { return data_ / "drop"; }
  std::filesystem::path locks_dir() const { return data_ / "locks"; }
  void EnsureDirs() const;

  // A configured location: a relative path, a comma-separated list of candidates (the first
  // existing one wins), and `*`/`?` wildcards in the file name (the oldest match wins, ties by
  // name). Returns the file, or nullopt when none exists.
  std::optional<std::filesystem::path> ResolveLocation(const std::string& location) const;

  // A name given by a user for a file inside files/ (upload, download, delete): refused with
  // Rejected when absolute, containing `..`, or resolving (through links) outside files/.
  std::filesystem::path SafePath(const std::string& relative) const;

  // True when `p` lies inside the data folder (after resolving links).
  bool Contains(const std::filesystem::path& p) const;
  // `p` relative to the data folder, with '/' separators.
  std::string Relative(const std::filesystem::path& p) const;
  // `p` relative to files/ when it is inside, else as given.
  std::string DisplayName(const std::filesystem::path& p) const;

  // Local time stamp used in archive/report/tryback names: YYYYMMDD-HHMMSS.
  static std::string Timestamp();
  // A path that does not exist yet: `dir/name`, or `dir/name` with -2, -3 ... before the extension.
  static std::filesystem::path Unique(const std::filesystem::path& dir, const std::string& name);

 private:
  std::filesystem::path data_;
};

}  // namespace cs::sync
