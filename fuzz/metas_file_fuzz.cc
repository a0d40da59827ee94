// libFuzzer target: the metacourse binding file (metas_task.cc): header, add/del, cycles, enrolment
// and role sync. Each input is the whole file, run in simulate mode on the shared fuzz site
// (fuzz_site.h).
#include <cstddef>
#include <cstdint>

#include "fuzz_site.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cs::fuzz::Site().RunSimulated(data, size, "metacourses.csv", cs::sync::RunMetas);
  return 0;
}
