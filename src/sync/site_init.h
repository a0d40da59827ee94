// `coursesync init`: install or upgrade the schema, then seed a fresh site with exactly what a
// fresh Moodle install has (moodle_schema.md §10.4–10.5), using Moodle's ids:
//
//   contexts 1 system (/1), 2 site course (/1/2), 3 default category (/1/3), 4 guest, 5 admin;
//   course 1 (format 'site', category 0) with its section 0 and format option numsections=1;
//   category 1 'Category 1'; users 1 guest and 2 admin; roles 1–8 (manager ... frontpage) with
//   their assignable context levels; the standard modules; the site's course defaults
//   (config_plugins 'moodlecourse'), enrolment plugin settings and core settings ({config}).
//
// Idempotent: a seeded site (course 1 present) is left untouched.
#pragma once

#include "store/db.h"

namespace cs::sync {

struct InitResult {
  bool created = false;  // true when this call seeded the site
};

// Runs store::InstallOrUpgradeSchema, then seeds the site in one transaction unless IsSeeded().
InitResult InitSite(store::Db& db);

// What every command does on opening a site: nothing when the schema is at this release's
// version and the site is seeded (a read of one row, no write lock), else InitSite. `init` runs
// InitSite itself, which also repairs missing tables, columns and indexes.
void EnsureSite(store::Db& db);

// True when the site course (course id 1) exists.
bool IsSeeded(store::Db& db);

}  // namespace cs::sync
