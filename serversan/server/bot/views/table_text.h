// Monospace columns for <code> lines. Widths are in terminal cells: a CJK character takes two
// (so "内存" fills a 4-wide column like "RAM "), everything else one. Cells are right-aligned,
// one space apart; a cell wider than its column pushes the rest right rather than being cut.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace serversan::bot::views {

size_t display_width(std::string_view utf8);
std::string aligned_row(std::span<const std::string> cells, std::span<const size_t> widths);

} // namespace serversan::bot::views
