// Grouping of alert notices, after Alertmanager's defaults. The engine queues every notice
// group_wait (30 s) after the transition that made it; when the sender takes a due firing notice
// it also takes the chat's other queued notices of the same group due within that window, and
// sends one message listing them all. A group is every offline notice of a chat (an outage of
// several servers), or the other alerts of one server. Every row of the group is marked sent with
// the same Telegram message id, so a recovery finds it by its own firing key
// (Store::find_message) and replies to it; the group's members are kept in the bot's state so
// that reply can redraw the group message with what resolved. Recoveries (or reminders) that
// answer the same message at once go out as one reply.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "serversan/core/result.h"
#include "serversan/server/alerts/alert_message.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

inline constexpr int64_t kGroupWaitMs = 30'000;         // = alerts::EngineOptions::group_wait_ms
inline constexpr int64_t kGroupIntervalMs = 5 * 60'000; // at most one firing message per group

// "offline" or "server:<id>": what a notice groups with in its chat.
std::string alert_group_key(const alerts::AlertMessage& m);

struct GroupRow {
	store::OutboxMessage row;
	alerts::AlertMessage notice;
};

// The notice's firing row (its recovery's and reminders' reply target), sent or not; nothing if
// the store has none or cannot be read (logged).
std::optional<store::OutboxMessage> firing_row(store::Store& store, const alerts::AlertMessage& m);

// The chat's other queued alert rows that go out with lead in one message: firing notices of the
// same group, or recoveries (reminders) answering the same sent firing message; due before
// until_ms. A disk-full forecast has none.
std::vector<GroupRow> group_mates(store::Store& store, const store::OutboxMessage& lead,
                                  const alerts::AlertMessage& notice, int64_t until_ms, size_t limit);

// The firing keys listed by a grouped message, kept (bot state) once it is sent.
void remember_group(store::Store& store, int64_t chat_id, int64_t message_id,
                    const std::vector<std::string>& firing_keys);
std::optional<std::vector<std::string>> group_members(store::Store& store, int64_t chat_id,
                                                      int64_t message_id);

} // namespace serversan::bot
