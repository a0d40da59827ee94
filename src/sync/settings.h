// The tool settings (contract §4): tool_sync's keys in {config_plugins} under plugin `tool_sync`,
// each with its default, validation and a help text shared by the CLI and the web console.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "store/db.h"

namespace cs::sync {

struct SettingDef {
  std::string key;
  std::string default_value;
  std::string label;  // short label for the console
  std::string help;   // one or two sentences
  std::string group;  // console grouping
  // Returns the normalised value or throws Rejected with a message naming the key.
  std::function<std::string(const std::string&)> normalise;
  std::vector<std::string> choices;  // for select inputs (empty: free text)
};

class Settings {
 public:
  explicit Settings(store::Db& db);
  static const std::vector<SettingDef>& Defs();
  static const SettingDef* Find(const std::string& key);

  // The stored value, or the default when unset. Throws Rejected for an unknown key.
  std::string Get(const std::string& key) const;
  bool Bool(const std::string& key) const { return Get(key) == "1"; }
  int Int(const std::string& key) const { return std::stoi(Get(key)); }
  // Validates and stores; returns the normalised value. Throws Rejected on a bad key/value.
  std::string Set(const std::string& key, const std::string& value);
  // Validate without storing (console forms validate every field before saving any).
  static std::string Validate(const std::string& key, const std::string& value);
  // Every key with its effective value, in definition order.
  std::vector<std::pair<std::string, std::string>> List() const;

 private:
  store::Db& db_;
};

}  // namespace cs::sync
