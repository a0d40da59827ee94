// Reading of the identifier-per-line files (deletion, existence check): each record's first CSV
// field, trimmed, is a course identifier; a first line naming an identifier (`shortname`,
// `idnumber`, `id`, any case) is a header, kept for the tryback file and skipped. A first line
// that is such a header followed by another separator (`shortname,description` read with `;`)
// rejects the file: the separator setting is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "csv/reader.h"
#include "sync/errors.h"
#include "sync/task_run.h"
#include "sync/values.h"

namespace cs::sync {

inline bool IsIdentifierHeader(const std::string& value, const std::string& identifier) {
  std::string v = Lower(value);
  return v == identifier || v == "shortname" || v == "idnumber" || v == "id";
}

// Calls fn(record, identifier) for every data line, counting it in ctx.report.read and
// reporting progress every `progress_every` lines. Returns the number of data lines.
template <typename Fn>
int64_t ForEachIdentifierLine(TaskContext& ctx, int64_t progress_every, Fn&& fn) {
  csv::Record rec;
  bool first = true;
  int64_t n = 0;
  while (ctx.reader.Next(rec)) {
    std::string ident = rec.fields.empty() ? std::string() : Trim(rec.fields[0]);
    if (first) {
      first = false;
      if (IsIdentifierHeader(ident, ctx.identifier)) {
        ctx.tryback.SetHeader(rec.fields);
        continue;
      }
      const size_t foreign = ident.find_first_of(";,:\t");
      if (foreign != std::string::npos && ident[foreign] != ctx.csv.separator &&
          IsIdentifierHeader(Trim(ident.substr(0, foreign)), ctx.identifier)) {
        throw Rejected(ctx.reader.name() + ": line " + std::to_string(rec.line) +
                       ": invalid separator detected: the header holds '" +
                       csv::SeparatorName(ident[foreign]) + "' but the separator is '" +
                       csv::SeparatorName(ctx.csv.separator) +
                       "' (set csvseparator or --separator)");
      }
    }
    ++ctx.report.read;
    fn(rec, std::move(ident));
    if (ctx.progress && (++n % progress_every) == 0) ctx.progress(n);
  }
  if (ctx.progress) ctx.progress(n);
  return n;
}

}  // namespace cs::sync
