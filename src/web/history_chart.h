// The history chart: courses created / updated / deleted / failed per run over time, as an inline
// SVG (stacked bars, oldest run on the left) with a text alternative. No script needed.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace cs::web {

// `runs` as returned by sync::History (newest first).
std::string HistoryChartSvg(const nlohmann::json& runs);

}  // namespace cs::web
