// SCORM reset options (mod/scorm/lib.php scorm_reset_userdata, scorm_delete_tracks).
#include "sync/reset_modules.h"

namespace cs::sync {

ResetModule ScormResetModule() {
  using namespace reset_sql;
  const std::string scorms = Instances("scorm");
  ResetModule m;
  m.name = "scorm";
  ResetOption tracks;
  tracks.column = "scorm";
  tracks.default_on = true;
  tracks.help = "every attempt with its tracked values, and the packages' gradebook grades";
  tracks.steps = {
      Delete("scorm_scoes_value",
             "attemptid IN (SELECT a.id FROM {scorm_attempt} a JOIN {scorm} s ON s.id = "
             "a.scormid WHERE s.course = :course)",
             {"scorm_attempt", "scorm"}),
      Delete("scorm_attempt", "scormid IN (" + scorms + ")", {"scorm"}),
      // Before Moodle 4.3 the tracks were one table.
      Delete("scorm_scoes_track", "scormid IN (" + scorms + ")", {"scorm"}),
  };
  for (auto& s : ModuleGradebookGrades("scorm")) tracks.steps.push_back(s);
  m.options.push_back(tracks);
  m.date_fields = {"timeopen", "timeclose"};
  return m;
}

}  // namespace cs::sync
