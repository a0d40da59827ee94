// Saving an uploaded file into the file area. Only the base name the browser sent is kept
// (`../../x` becomes `x`), and the destination goes through FileArea::SafePath, so an upload
// never lands outside files/.
#pragma once

#include <filesystem>
#include <string>

#include "sync/file_area.h"

namespace cs::web {

// The base name of a client-supplied file name; throws sync::Rejected when nothing usable is left.
std::string CleanUploadName(const std::string& client_name);

// Writes `content` to files/<dir>/<clean name> (dir may be "" for files/ itself). With `unique`,
// an existing file is kept and the new one gets -2, -3 ... before its extension; otherwise the
// existing file is replaced. Returns the full path.
std::filesystem::path SaveUpload(const sync::FileArea& area, const std::string& dir,
                                 const std::string& client_name, const std::string& content,
                                 bool unique);

}  // namespace cs::web
