// Database activity reset options (mod/data/lib.php data_reset_userdata).
#include "sync/reset_modules.h"

namespace cs::sync {

ResetModule DataResetModule() {
  using namespace reset_sql;
  const std::string records =
      "SELECT r.id FROM {data_records} r JOIN {data} d ON d.id = r.dataid WHERE d.course = "
      ":course";
  ResetModule m;
  m.name = "data";

  ResetOption all;
  all.column = "data";
  all.help =
      "every entry with its field contents, comments, ratings, tags and the activities' gradebook "
      "grades (the fields stay)";
  all.steps = {
      Comments("data", "database_entry", records, {"data_records", "data"}),
      Delete("data_content", "recordid IN (" + records + ")", {"data_records", "data"}),
      Delete("data_records", "dataid IN (" + Instances("data") + ")", {"data"}),
      Ratings("data", "mod_data", "entry"),
      Tags("data", "mod_data"),
  };
  for (auto& s : ModuleGradebookGrades("data")) all.steps.push_back(s);
  m.options.push_back(all);

  ResetOption ratings;
  ratings.column = "data_ratings";
  ratings.default_on = true;
  ratings.help = "ratings of entries and the activities' gradebook grades";
  ratings.steps = {Ratings("data", "mod_data", "entry")};
  for (auto& s : ModuleGradebookGrades("data")) ratings.steps.push_back(s);
  m.options.push_back(ratings);

  ResetOption comments;
  comments.column = "data_comments";
  comments.default_on = true;
  comments.help = "comments on entries";
  comments.steps = {Comments("data", "database_entry", records, {"data_records", "data"})};
  m.options.push_back(comments);

  m.date_fields = {"timeavailablefrom", "timeavailableto", "timeviewfrom",
                   "timeviewto",        "assesstimestart", "assesstimefinish"};
  return m;
}

}  // namespace cs::sync
