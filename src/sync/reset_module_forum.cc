// Forum reset options (mod/forum/lib.php forum_reset_userdata, forum_reset_course_form_defaults).
#include "sync/reset_modules.h"

namespace cs::sync {

ResetModule ForumResetModule() {
  using namespace reset_sql;
  const std::string forums = Instances("forum");
  const std::string discussions =
      "SELECT fd.id FROM {forum_discussions} fd JOIN {forum} f ON f.id = fd.forum WHERE f.course "
      "= :course";
  ResetModule m;
  m.name = "forum";

  ResetOption all;
  all.column = "forum_all";
  all.default_on = true;
  all.help =
      "every discussion and post (the first post of single-discussion forums stays), read marks, "
      "tracking preferences, queued posts, ratings, tags and gradebook grades of the forums";
  all.steps = {
      Ratings("forum", "mod_forum", "post"),
      Tags("forum", "mod_forum"),
      Delete("forum_read", "forumid IN (" + forums + ")", {"forum"}),
      Delete("forum_track_prefs", "forumid IN (" + forums + ")", {"forum"}),
      Delete("forum_queue", "discussionid IN (" + discussions + ")",
             {"forum_discussions", "forum"}),
      // Replies first, then the first posts (kept in single simple discussion forums). `+parent`
      // keeps SQLite off the parent index (every first post of the site has parent 0).
      Delete("forum_posts", "discussion IN (" + discussions + ") AND parent <> 0",
             {"forum_discussions", "forum"}),
      Delete("forum_posts",
             "discussion IN (" + discussions + " AND f.type <> 'single') AND +parent = 0",
             {"forum_discussions", "forum"}),
      Delete("forum_discussions",
             "forum IN (SELECT id FROM {forum} WHERE course = :course AND type <> 'single')",
             {"forum"}),
  };
  for (auto& s : ModuleGradebookGrades("forum")) all.steps.push_back(s);
  m.options.push_back(all);

  ResetOption digests;
  digests.column = "forum_digests";
  digests.help = "mail digest preferences";
  digests.steps = {Delete("forum_digests", "forum IN (" + forums + ")", {"forum"})};
  m.options.push_back(digests);

  ResetOption subs;
  subs.column = "forum_subscriptions";
  subs.help = "forum and discussion subscriptions";
  subs.steps = {Delete("forum_subscriptions", "forum IN (" + forums + ")", {"forum"}),
                Delete("forum_discussion_subs", "forum IN (" + forums + ")", {"forum"})};
  m.options.push_back(subs);

  ResetOption track;
  track.column = "forum_track_prefs";
  track.help = "read tracking preferences";
  track.steps = {Delete("forum_track_prefs", "forumid IN (" + forums + ")", {"forum"})};
  m.options.push_back(track);

  ResetOption ratings;
  ratings.column = "forum_ratings";
  ratings.default_on = true;
  ratings.help = "ratings of posts and the forums' gradebook grades";
  ratings.steps = {Ratings("forum", "mod_forum", "post")};
  for (auto& s : ModuleGradebookGrades("forum")) ratings.steps.push_back(s);
  m.options.push_back(ratings);

  ResetOption tags;
  tags.column = "forum_tags";
  tags.help = "tags of posts";
  tags.steps = {Tags("forum", "mod_forum")};
  m.options.push_back(tags);

  m.date_fields = {"assesstimestart", "assesstimefinish", "duedate", "cutoffdate"};
  return m;
}

}  // namespace cs::sync
