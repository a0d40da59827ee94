// Chat reset options (mod/chat/lib.php chat_reset_userdata).
#include "sync/reset_modules.h"

namespace cs::sync {

ResetModule ChatResetModule() {
  using namespace reset_sql;
  const std::string chats = Instances("chat");
  ResetModule m;
  m.name = "chat";
  ResetOption all;
  all.column = "chat";
  all.default_on = true;
  all.help = "every message, current message and connected user";
  all.steps = {Delete("chat_messages", "chatid IN (" + chats + ")", {"chat"}),
               Delete("chat_messages_current", "chatid IN (" + chats + ")", {"chat"}),
               Delete("chat_users", "chatid IN (" + chats + ")", {"chat"})};
  m.options.push_back(all);
  m.date_fields = {"chattime"};
  return m;
}

}  // namespace cs::sync
