// Text for Telegram's HTML parse mode. Everything that comes from users or servers (names,
// hostnames, process names) goes through escape_html() before it is put between our own tags;
// split_html() cuts a long message into pieces Telegram accepts without losing text or breaking
// markup. Lengths are counted as Telegram counts them: UTF-16 code units of the text after entity
// parsing (a tag counts nothing, &amp; counts one, an emoji counts two).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace serversan::bot {

inline constexpr size_t kMaxMessageUnits = 4096; // sendMessage text, after entity parsing
inline constexpr size_t kMaxCaptionUnits = 1024; // sendPhoto caption
inline constexpr size_t kMaxCallbackDataBytes = 64;

// Valid UTF-8 with every invalid sequence replaced by U+FFFD, and control characters other than
// tab and newline replaced by U+FFFD too (they are invisible and some clients mangle them), so a
// replacement shows where something was instead of silently dropping it.
std::string sanitize_utf8(std::string_view in);

// sanitize_utf8() plus &, < and > escaped: safe between tags.
std::string escape_html(std::string_view text);
// escape_html() plus " escaped: safe inside a double-quoted attribute (a href="...").
std::string escape_html_attribute(std::string_view text);

// UTF-16 code units of plain text (invalid UTF-8 bytes count one unit each, as U+FFFD would).
size_t utf16_length(std::string_view text);
// UTF-16 code units of the text Telegram sees after parsing this HTML.
size_t html_text_length(std::string_view html);

// Splits well-formed Telegram HTML into pieces of at most `limit` units of parsed text each.
// Cuts at the last line end that fits (the line end itself becomes the message boundary); a single
// line longer than `limit` is cut at its last space, or else between two characters, never inside
// a tag, an entity or a UTF-8 sequence. Tags open at a cut are closed at the end of the piece and
// opened again at the start of the next one. Pieces with nothing but white space are left out.
// A message that fits comes back as one piece, unchanged.
std::vector<std::string> split_html(std::string_view html, size_t limit = kMaxMessageUnits);

// Telegram takes callback_data of 1 to 64 bytes.
bool callback_data_fits(std::string_view data);

} // namespace serversan::bot
