#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "serversan/agent/token_file.h"

using namespace serversan;
using namespace serversan::agent;

namespace {

std::string token_file(const std::string& name, const std::string& content, mode_t mode) {
	std::string dir = ::testing::TempDir() + "/ss-token-" + std::to_string(::getpid());
	std::filesystem::create_directories(dir);
	std::string path = dir + "/" + name;
	std::filesystem::remove(path);
	std::ofstream(path) << content;
	::chmod(path.c_str(), mode);
	return path;
}

} // namespace

TEST(TokenFile, ReadsAProtectedFile) {
	AgentToken t = generate_token(42);
	std::string path = token_file("ok", format_token(t) + "\n", 0600);
	auto loaded = load_token_file(path);
	ASSERT_TRUE(loaded.ok()) << loaded.error().message;
	EXPECT_EQ(*loaded, t);
	EXPECT_TRUE(load_token_file(token_file("ro", format_token(t), 0400)).ok());
}

TEST(TokenFile, RefusesGroupOrWorldReadableFiles) {
	AgentToken t = generate_token(42);
	for (mode_t mode : {0644, 0640, 0604, 0660, 0601, 0610}) {
		std::string path = token_file("open", format_token(t), mode);
		auto loaded = load_token_file(path);
		ASSERT_FALSE(loaded.ok()) << std::oct << mode;
		const std::string& msg = loaded.error().message;
		EXPECT_NE(msg.find("UNPROTECTED"), std::string::npos) << msg;
		EXPECT_NE(msg.find(path), std::string::npos) << msg;
		EXPECT_NE(msg.find("chmod 600"), std::string::npos) << msg;
		EXPECT_EQ(msg.find(t.secret), std::string::npos) << "the secret leaked into: " << msg;
	}
}

TEST(TokenFile, ErrorsNeverContainTheSecret) {
	AgentToken t = generate_token(42);
	std::string text = format_token(t);
	text.back() = text.back() == 'a' ? 'b' : 'a'; // checksum mismatch
	auto loaded = load_token_file(token_file("bad", text, 0600));
	ASSERT_FALSE(loaded.ok());
	EXPECT_EQ(loaded.error().message.find(t.secret), std::string::npos);
	EXPECT_FALSE(load_token_file(token_file("empty", "", 0600)).ok());
}

TEST(TokenFile, MissingFileAndDirectory) {
	auto missing = load_token_file("/nonexistent/serversan/auth.log");
	ASSERT_FALSE(missing.ok());
	EXPECT_NE(missing.error().message.find("/nonexistent/serversan/auth.log"), std::string::npos);
	std::string dir = ::testing::TempDir() + "/ss-token-dir-" + std::to_string(::getpid());
	std::filesystem::create_directories(dir);
	::chmod(dir.c_str(), 0700);
	EXPECT_FALSE(load_token_file(dir).ok());
}
