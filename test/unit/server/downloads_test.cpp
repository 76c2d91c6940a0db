// Downloads: only install.sh and the agent builds are served, nothing else of the directory or the
// file system; the checksum line matches sha256sum; a replaced file is served anew.
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "serversan/server/ingest/downloads.h"
#include "test/unit/server/test_support.h"

using namespace serversan::ingest;
using serversan::testing::TempDir;

namespace {

void write_file(const std::string& path, const std::string& content) {
	std::ofstream f(path, std::ios::binary | std::ios::trunc);
	f << content;
}

} // namespace

TEST(Downloads, ServesTheInstallerTheAgentAndItsChecksum) {
	TempDir dir;
	write_file(dir.file("install.sh"), "#!/bin/sh\necho hi\n");
	write_file(dir.file("serversan-agent-x86_64"), "abc");
	Downloads d(dir.path().string());

	auto inst = d.serve("GET", "/install.sh");
	ASSERT_TRUE(inst);
	EXPECT_EQ(inst->status, 200);
	EXPECT_EQ(*inst->body, "#!/bin/sh\necho hi\n");
	EXPECT_EQ(inst->content_type, "text/x-shellscript; charset=utf-8");

	auto bin = d.serve("GET", "/download/serversan-agent-x86_64");
	ASSERT_TRUE(bin);
	EXPECT_EQ(bin->status, 200);
	EXPECT_EQ(*bin->body, "abc");
	EXPECT_EQ(bin->content_type, "application/octet-stream");

	// printf abc | sha256sum
	auto sum = d.serve("HEAD", "/download/serversan-agent-x86_64.sha256");
	ASSERT_TRUE(sum);
	EXPECT_EQ(sum->status, 200);
	EXPECT_EQ(*sum->body,
	          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  serversan-agent-x86_64\n");
}

TEST(Downloads, NothingElseIsReachable) {
	TempDir dir;
	write_file(dir.file("secret"), "no");
	write_file(dir.file("serversan-agent-x86_64"), "abc");
	Downloads d(dir.path().string());
	EXPECT_FALSE(d.serve("GET", "/api/v1/reports")); // not ours: routed elsewhere
	EXPECT_FALSE(d.serve("GET", "/healthz"));
	for (const char* p :
	     {"/download/secret", "/download/../secret", "/download/serversan-agent-../secret",
	      "/download/serversan-agent-", "/download/serversan-agent-X86", "/download/",
	      "/download/serversan-agent-x86_64/", "/download/serversan-agent-x86_64.sha256.sha256",
	      "/download/serversan-agent-x86_64%2f..", "/download/serversan-agent-aarch64"}) {
		auto r = d.serve("GET", p);
		ASSERT_TRUE(r) << p;
		EXPECT_EQ(r->status, 404) << p;
		EXPECT_EQ(r->body->find("no"), 0u) << p; // a message, never a file's content
		EXPECT_NE(*r->body, "no") << p;
	}
	auto post = d.serve("POST", "/download/serversan-agent-x86_64");
	ASSERT_TRUE(post);
	EXPECT_EQ(post->status, 405);
}

TEST(Downloads, WithoutADirectoryEveryDownloadIsA404WithAHint) {
	Downloads d("");
	auto r = d.serve("GET", "/install.sh");
	ASSERT_TRUE(r);
	EXPECT_EQ(r->status, 404);
	EXPECT_NE(r->body->find("downloads_dir"), std::string::npos);
}

TEST(Downloads, AReplacedFileIsServedAnewAndDirectoriesAreRefused) {
	TempDir dir;
	write_file(dir.file("serversan-agent-x86_64"), "v1");
	Downloads d(dir.path().string());
	EXPECT_EQ(*d.serve("GET", "/download/serversan-agent-x86_64")->body, "v1");
	write_file(dir.file("serversan-agent-x86_64"), "version 2");
	EXPECT_EQ(*d.serve("GET", "/download/serversan-agent-x86_64")->body, "version 2");
	EXPECT_NE(d.serve("GET", "/download/serversan-agent-x86_64.sha256")->body->find("serversan-agent-x86_64"),
	          std::string::npos);

	std::filesystem::create_directory(dir.file("serversan-agent-aarch64"));
	EXPECT_EQ(d.serve("GET", "/download/serversan-agent-aarch64")->status, 500);

	Downloads small(dir.path().string(), 4);
	EXPECT_EQ(small.serve("GET", "/download/serversan-agent-x86_64")->status, 500); // over the size cap
}
