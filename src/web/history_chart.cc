#include "web/history_chart.h"

#include <algorithm>
#include <array>

#include "web/html.h"

namespace cs::web {

std::string HistoryChartSvg(const nlohmann::json& runs) {
  struct Series {
    const char* key;
    const char* color;
  };
  static const std::array<Series, 4> kSeries = {{{"created", "#2da44e"},
                                                 {"updated", "#0969da"},
                                                 {"deleted", "#bf8700"},
                                                 {"failed", "#cf222e"}}};
  std::vector<nlohmann::json> ordered(runs.rbegin(), runs.rend());
  int64_t max = 1;
  for (const auto& r : ordered) {
    int64_t sum = 0;
    for (const auto& s : kSeries) {
      const auto& t = r.value("totals", nlohmann::json::object());
      if (t.is_object() && t.contains(s.key) && t[s.key].is_number())
        sum += t[s.key].get<int64_t>();
    }
    max = std::max(max, sum);
  }
  const int left = 50, top = 10, plot_h = 180, bar = 12, gap = 4;
  int n = static_cast<int>(ordered.size());
  int width = std::max(400, left + 10 + n * (bar + gap));
  int height = top + plot_h + 40;
  std::string out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(width) + "\" height=\"" + std::to_string(height) +
                    "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                    "\" role=\"img\" aria-labelledby=\"chart-title\"><title id=\"chart-title\">"
                    "Courses created, updated, deleted and failed per run, oldest first</title>";
  // Axis and scale.
  out += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(top) + "\" x2=\"" +
         std::to_string(left) + "\" y2=\"" + std::to_string(top + plot_h) +
         "\" stroke=\"#57606a\"/><line x1=\"" + std::to_string(left) + "\" y1=\"" +
         std::to_string(top + plot_h) + "\" x2=\"" + std::to_string(width - 5) + "\" y2=\"" +
         std::to_string(top + plot_h) + "\" stroke=\"#57606a\"/>";
  out += "<text x=\"" + std::to_string(left - 4) + "\" y=\"" + std::to_string(top + 10) +
         "\" text-anchor=\"end\" font-size=\"11\">" + std::to_string(max) + "</text><text x=\"" +
         std::to_string(left - 4) + "\" y=\"" + std::to_string(top + plot_h) +
         "\" text-anchor=\"end\" font-size=\"11\">0</text>";
  for (int i = 0; i < n; ++i) {
    const auto& r = ordered[i];
    const auto& t = r.value("totals", nlohmann::json::object());
    int x = left + 6 + i * (bar + gap);
    double y = top + plot_h;
    std::string label = "#" + std::to_string(r.value("id", int64_t{0})) + " " +
                        FormatTime(r.value("start", int64_t{0})) + " " + r.value("task", "");
    std::string rects;
    for (const auto& s : kSeries) {
      int64_t v =
          t.is_object() && t.contains(s.key) && t[s.key].is_number() ? t[s.key].get<int64_t>() : 0;
      label += ", " + std::string(s.key) + " " + std::to_string(v);
      if (v <= 0) continue;
      double h = static_cast<double>(v) * plot_h / static_cast<double>(max);
      y -= h;
      char buf[160];
      std::snprintf(buf, sizeof buf,
                    "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"/>", x, y,
                    bar, std::max(h, 0.5), s.color);
      rects += buf;
    }
    out += "<g><title>" + Esc(label) + "</title>" + rects + "<rect x=\"" + std::to_string(x) +
           "\" y=\"" + std::to_string(top) + "\" width=\"" + std::to_string(bar) + "\" height=\"" +
           std::to_string(plot_h) + "\" fill=\"transparent\"/></g>";
  }
  if (n > 0) {
    out += "<text x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(top + plot_h + 16) +
           "\" font-size=\"11\">" + Esc(FormatTime(ordered.front().value("start", int64_t{0}))) +
           "</text><text x=\"" + std::to_string(width - 5) + "\" y=\"" +
           std::to_string(top + plot_h + 16) + "\" text-anchor=\"end\" font-size=\"11\">" +
           Esc(FormatTime(ordered.back().value("start", int64_t{0}))) + "</text>";
  }
  return out + "</svg>";
}

}  // namespace cs::web
