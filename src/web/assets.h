// The console's static files: one small stylesheet and one small script (job polling, the course
// browser's "select page" box, confirmation of destructive buttons). Served from memory.
#pragma once

#include <string_view>

namespace cs::web {

std::string_view StyleCss();
std::string_view AppJs();

}  // namespace cs::web
