// Where /threshold writes: shared with the web API (alerts/rule_edit.h).
#pragma once

#include "serversan/server/alerts/rule_edit.h"

namespace serversan::bot::threshold {

using alerts::rule_edit::apply;
using alerts::rule_edit::Change;
using alerts::rule_edit::changed;
using alerts::rule_edit::ChatRules;
using alerts::rule_edit::put_own;
using alerts::rule_edit::remove_own;
using alerts::rule_edit::Scope;
using alerts::rule_edit::Target;

} // namespace serversan::bot::threshold
