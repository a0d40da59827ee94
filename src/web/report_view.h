// Renders the result of a run as HTML: a file task's RunReport JSON (totals, failed lines, every
// line, notes, links to the stored report and tryback file), `all` (one report per task and the
// tasks that did not run), and `cleancats` (the deleted categories). Every value is escaped.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace cs::web {

std::string RenderTotals(const nlohmann::json& totals);
std::string RenderReport(const nlohmann::json& report);
// Dispatches on the shape of a job result.
std::string RenderResult(const nlohmann::json& result);
// A link to view a data-folder-relative path ("files/reports/x.txt") in the file manager.
std::string FileLink(const std::string& data_relative);

}  // namespace cs::web
