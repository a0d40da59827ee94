// Glossary reset options (mod/glossary/lib.php glossary_reset_userdata).
#include "sync/reset_modules.h"

namespace cs::sync {

ResetModule GlossaryResetModule() {
  using namespace reset_sql;
  const std::string glossaries = Instances("glossary");
  const std::string entries =
      "SELECT e.id FROM {glossary_entries} e JOIN {glossary} g ON g.id = e.glossaryid WHERE "
      "g.course = :course";
  ResetModule m;
  m.name = "glossary";

  ResetOption all;
  all.column = "glossary_all";
  all.help =
      "every entry, with its aliases, category links, comments, ratings and the glossaries' "
      "gradebook grades (the categories themselves stay)";
  all.steps = {
      Comments("glossary", "glossary_entry", entries, {"glossary_entries", "glossary"}),
      Delete("glossary_alias", "entryid IN (" + entries + ")", {"glossary_entries", "glossary"}),
      Delete("glossary_entries_categories", "entryid IN (" + entries + ")",
             {"glossary_entries", "glossary"}),
      Delete("glossary_entries", "glossaryid IN (" + glossaries + ")", {"glossary"}),
      Ratings("glossary", "mod_glossary", "entry"),
  };
  for (auto& s : ModuleGradebookGrades("glossary")) all.steps.push_back(s);
  m.options.push_back(all);

  ResetOption ratings;
  ratings.column = "glossary_ratings";
  ratings.default_on = true;
  ratings.help = "ratings of entries and the glossaries' gradebook grades";
  ratings.steps = {Ratings("glossary", "mod_glossary", "entry")};
  for (auto& s : ModuleGradebookGrades("glossary")) ratings.steps.push_back(s);
  m.options.push_back(ratings);

  ResetOption comments;
  comments.column = "glossary_comments";
  comments.default_on = true;
  comments.help = "comments on entries";
  comments.steps = {
      Comments("glossary", "glossary_entry", entries, {"glossary_entries", "glossary"})};
  m.options.push_back(comments);

  m.date_fields = {"assesstimestart", "assesstimefinish"};
  return m;
}

}  // namespace cs::sync
