#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "serversan/server/bot/html.h"

using namespace serversan::bot;

namespace {

// The text Telegram would show for our HTML (only the four named entities are produced by us), or
// "BROKEN" when a tag is closed that is not the innermost open one or stays open at the end.
std::string parsed_text(const std::string& html) {
	std::string out;
	std::vector<std::string> stack;
	for (size_t i = 0; i < html.size();) {
		if (html[i] == '<') {
			size_t end = html.find('>', i);
			std::string tag = html.substr(i + 1, end - i - 1);
			if (tag[0] == '/') {
				if (stack.empty() || stack.back() != tag.substr(1))
					return "BROKEN";
				stack.pop_back();
			} else {
				stack.push_back(tag.substr(0, tag.find(' ')));
			}
			i = end + 1;
		} else if (html[i] == '&') {
			size_t end = html.find(';', i);
			std::string e = html.substr(i, end - i + 1);
			out += e == "&lt;" ? "<" : e == "&gt;" ? ">" : e == "&amp;" ? "&" : e == "&quot;" ? "\"" : e;
			i = end + 1;
		} else {
			out += html[i++];
		}
	}
	return stack.empty() ? out : "BROKEN";
}

// Every piece within the limit, well formed and valid UTF-8; together they hold all the text
// except the separators the cuts replaced.
void expect_good_split(const std::string& html, size_t limit) {
	std::vector<std::string> pieces = split_html(html, limit);
	std::string joined_letters, original_letters;
	for (const std::string& p : pieces) {
		EXPECT_LE(html_text_length(p), limit) << p;
		std::string text = parsed_text(p);
		ASSERT_NE(text, "BROKEN") << p;
		EXPECT_EQ(sanitize_utf8(p), p) << "a UTF-8 sequence was cut";
		for (char c : text)
			if (c != ' ' && c != '\n')
				joined_letters += c;
	}
	for (char c : parsed_text(html))
		if (c != ' ' && c != '\n')
			original_letters += c;
	EXPECT_EQ(joined_letters, original_letters);
}

} // namespace

TEST(BotHtml, EscapesTheThreeCharactersAndQuotesOnlyInAttributes) {
	EXPECT_EQ(escape_html("a<b>&c \"d\""), "a&lt;b&gt;&amp;c \"d\"");
	EXPECT_EQ(escape_html_attribute("x\"><script>"), "x&quot;&gt;&lt;script&gt;");
	EXPECT_EQ(escape_html("&amp;"), "&amp;amp;");
	EXPECT_EQ(escape_html("web1.example.com-01_x"), "web1.example.com-01_x");
}

TEST(BotHtml, InvalidUtf8AndControlCharactersBecomeReplacementCharacters) {
	EXPECT_EQ(sanitize_utf8("a\xff"
	                        "b"),
	          "a\xEF\xBF\xBD"
	          "b");
	EXPECT_EQ(sanitize_utf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");                 // truncated sequence
	EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                 // overlong '/'
	EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
	EXPECT_EQ(sanitize_utf8(std::string("a\0b\x1b\x7f", 5)), "a\xEF\xBF\xBD"
	                                                         "b\xEF\xBF\xBD\xEF\xBF\xBD");
	EXPECT_EQ(sanitize_utf8("tab\there\nline"), "tab\there\nline");
	EXPECT_EQ(escape_html("<\xff>"), "&lt;\xEF\xBF\xBD&gt;");
}

TEST(BotHtml, CountsUtf16CodeUnits) {
	EXPECT_EQ(utf16_length("abc"), 3u);
	EXPECT_EQ(utf16_length("\xF0\x9F\x98\x80"), 2u);         // 😀 outside the BMP: a surrogate pair
	EXPECT_EQ(utf16_length("\xE6\x9C\x8D\xE5\x8A\xA1"), 2u); // 服务: one unit each
	EXPECT_EQ(utf16_length("e\xCC\x81"), 2u);                // e + combining acute
	EXPECT_EQ(utf16_length("\xff"), 1u);
	EXPECT_EQ(html_text_length("<b>a</b>&amp;<a href=\"x\">b</a>"), 3u);
	EXPECT_EQ(html_text_length("&#128512;&#x41;"), 3u);
}

TEST(BotHtml, AMessageThatFitsComesBackUnchanged) {
	std::string html = "<b>web1</b> is down &amp; out\n" + std::string(4000, 'x');
	EXPECT_EQ(split_html(html), std::vector<std::string>{html});
}

TEST(BotHtml, SplitsAtLineEnds) {
	std::string html;
	for (int i = 0; i < 300; ++i)
		html += "<b>server" + std::to_string(i) + "</b> cpu 12% ram 40%\n";
	auto pieces = split_html(html, 200);
	ASSERT_GT(pieces.size(), 1u);
	for (size_t k = 0; k < pieces.size(); ++k) {
		EXPECT_EQ(pieces[k].rfind("<b>server", 0), 0u) << "each piece starts at a line start: " << pieces[k];
		if (k + 1 < pieces.size()) {
			EXPECT_NE(pieces[k].back(), '\n') << "the line end at a cut is the message boundary";
		}
	}
	expect_good_split(html, 200);
}

TEST(BotHtml, ReclosesAndReopensTagsOpenAtACut) {
	std::string line(30, 'a');
	std::string html =
	    "<pre><code class=\"language-text\">" + line + "\n" + line + "\n" + line + "</code></pre>";
	auto pieces = split_html(html, 40);
	ASSERT_EQ(pieces.size(), 3u);
	EXPECT_EQ(pieces[0], "<pre><code class=\"language-text\">" + line + "</code></pre>");
	EXPECT_EQ(pieces[1], "<pre><code class=\"language-text\">" + line + "</code></pre>");
	EXPECT_EQ(pieces[2], "<pre><code class=\"language-text\">" + line + "</code></pre>");
}

TEST(BotHtml, ALongLineIsCutAtASpaceOrBetweenCharactersNeverInsideAnEntity) {
	std::string words;
	for (int i = 0; i < 50; ++i)
		words += "word&amp;" + std::to_string(i) + " ";
	auto pieces = split_html(words, 37);
	for (const auto& p : pieces)
		EXPECT_EQ(p.find("&amp") == std::string::npos || p.find("&amp;") != std::string::npos, true);
	expect_good_split(words, 37);

	std::string blob;
	for (int i = 0; i < 100; ++i)
		blob += "&lt;\xF0\x9F\x98\x80\xE6\x9C\x8D"
		        "e\xCC\x81";
	expect_good_split("<i>" + blob + "</i>", 9);
	expect_good_split("<i>" + blob + "</i>", 2);
}

TEST(BotHtml, RandomMarkupSplitsWithoutLosingTextOrBreakingTags) {
	std::mt19937 rng(19);
	const std::vector<std::string> atoms = {
	    "a", "b", " ", "\n", "&amp;", "&lt;", "\xF0\x9F\x9A\x80", "\xE4\xB8\xAD", "\xCC\x81", "xyz"};
	const std::vector<std::string> tags = {"b", "i", "u", "code", "s"};
	for (int round = 0; round < 200; ++round) {
		std::string html;
		std::vector<std::string> open;
		int n = 20 + static_cast<int>(rng() % 400);
		for (int k = 0; k < n; ++k) {
			unsigned r = rng() % 10;
			if (r == 0 && open.size() < 3) {
				open.push_back(tags[rng() % tags.size()]);
				html += "<" + open.back() + ">";
			} else if (r == 1 && !open.empty()) {
				html += "</" + open.back() + ">";
				open.pop_back();
			} else {
				html += atoms[rng() % atoms.size()];
			}
		}
		for (size_t k = open.size(); k-- > 0;)
			html += "</" + open[k] + ">";
		expect_good_split(html, 2 + rng() % 60);
		if (testing::Test::HasFailure()) {
			ADD_FAILURE() << "input: " << html;
			return;
		}
	}
}

TEST(BotHtml, CallbackDataIsOneTo64Bytes) {
	EXPECT_FALSE(callback_data_fits(""));
	EXPECT_TRUE(callback_data_fits(std::string(64, 'x')));
	EXPECT_FALSE(callback_data_fits(std::string(65, 'x')));
	std::string emoji16, emoji17;
	for (int i = 0; i < 16; ++i)
		emoji16 += "\xF0\x9F\x98\x80";
	emoji17 = emoji16 + "\xF0\x9F\x98\x80";
	EXPECT_TRUE(callback_data_fits(emoji16)); // 64 bytes, 32 UTF-16 units
	EXPECT_FALSE(callback_data_fits(emoji17));
}
