#include "web/uploads.h"

#include <fstream>

#include "sync/errors.h"

namespace fs = std::filesystem;

namespace cs::web {

std::string CleanUploadName(const std::string& client_name) {
  std::string name = client_name;
  // Browsers on Windows may send a whole path with backslashes.
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 32 || u == 127) continue;
    out += c;
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty()) throw sync::Rejected("the uploaded file has no usable name");
  if (out.size() > 200) out = out.substr(out.size() - 200);
  return out;
}

fs::path SaveUpload(const sync::FileArea& area, const std::string& dir,
                    const std::string& client_name, const std::string& content, bool unique) {
  std::string name = CleanUploadName(client_name);
  std::string rel = dir.empty() ? name : dir + "/" + name;
  fs::path target = area.SafePath(rel);
  fs::create_directories(target.parent_path());
  target = area.SafePath(rel);  // again, now that the folder exists (links resolved)
  if (unique) target = sync::FileArea::Unique(target.parent_path(), target.filename().string());
  fs::path tmp = target;
  tmp += ".uploading";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
    f.close();
    if (!f) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw std::runtime_error("cannot write " + target.string());
    }
  }
  fs::rename(tmp, target);
  return target;
}

}  // namespace cs::web
