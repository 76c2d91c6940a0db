// Spool: order, durability across restarts (and kill -9), the size and age limits with their
// dropped counter, stream boundaries, corrupt files and records, and the memory fallback.
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "serversan/agent/spool.h"
#include "serversan/core/clock.h"

using namespace serversan;
using namespace serversan::agent;
using ::testing::HasSubstr;

namespace {

constexpr const char* kStreamA = "aaaaaaaaaaaaaaaa";
constexpr const char* kStreamB = "bbbbbbbbbbbbbbbb";

std::string fresh_dir(const std::string& name) {
	std::string dir = ::testing::TempDir() + "/ss-spool-" + name + "-" + std::to_string(::getpid());
	std::filesystem::remove_all(dir);
	return dir;
}

std::string json_for(uint64_t seq, size_t pad = 0) {
	return "{\"seq\":" + std::to_string(seq) + ",\"pad\":\"" + std::string(pad, 'x') + "\"}";
}

std::vector<std::string> segment_files(const std::string& dir) {
	std::vector<std::string> out;
	if (!std::filesystem::exists(dir))
		return out;
	for (const auto& e : std::filesystem::directory_iterator(dir))
		if (e.path().extension() == ".spool")
			out.push_back(e.path().string());
	std::sort(out.begin(), out.end());
	return out;
}

struct SpoolTest : ::testing::Test {
	ManualClock clock;
	std::string dir;
	SpoolSettings settings;

	void SetUp() override {
		dir = fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
		settings.dir = dir;
	}
	void TearDown() override { std::filesystem::remove_all(dir); }

	std::unique_ptr<Spool> open(const std::string& stream = kStreamA) {
		auto s = Spool::open(settings, stream, clock);
		s->begin();
		return s;
	}
	int64_t now_ms() const { return clock.unix_millis(); }

	// Appends seq first..last with the current time; expects them on disk.
	void append(Spool& s, uint64_t first, uint64_t last, size_t pad = 0) {
		for (uint64_t q = first; q <= last; ++q) {
			auto r = s.append(q, now_ms(), json_for(q, pad));
			ASSERT_TRUE(r.ok()) << r.error().message;
		}
	}

	// Every pending report's seq, oldest first, without settling anything.
	std::vector<uint64_t> pending_seqs(Spool& s) {
		SpoolBatch b;
		std::vector<uint64_t> out;
		if (s.next_batch(100000, SIZE_MAX, b))
			for (const auto& r : b.reports)
				out.push_back(r.seq);
		return out;
	}
};

std::vector<uint64_t> range(uint64_t first, uint64_t last) {
	std::vector<uint64_t> out;
	for (uint64_t q = first; q <= last; ++q)
		out.push_back(q);
	return out;
}

} // namespace

TEST_F(SpoolTest, ReportsLeaveInOrderWithTheirOwnTimesAndJson) {
	auto s = open();
	int64_t t0 = now_ms() - 3'600'000;
	for (uint64_t q = 1; q <= 5; ++q)
		ASSERT_TRUE(s->append(q, t0 + static_cast<int64_t>(q), json_for(q)).ok());
	EXPECT_EQ(s->pending(), 5u);
	SpoolBatch b;
	ASSERT_TRUE(s->next_batch(500, 1 << 20, b));
	ASSERT_EQ(b.reports.size(), 5u);
	EXPECT_EQ(b.stream, kStreamA);
	for (uint64_t q = 1; q <= 5; ++q) {
		EXPECT_EQ(b.reports[q - 1].seq, q);
		EXPECT_EQ(b.reports[q - 1].time_ms, t0 + static_cast<int64_t>(q));
		EXPECT_EQ(b.reports[q - 1].json, json_for(q));
	}
	s->settle(b);
	EXPECT_EQ(s->pending(), 0u);
	EXPECT_FALSE(s->next_batch(500, 1 << 20, b));
	EXPECT_TRUE(s->on_disk());
}

TEST_F(SpoolTest, FilesAndDirectoryArePrivate) {
	auto s = open();
	append(*s, 1, 1);
	struct stat st {};
	ASSERT_EQ(::stat(dir.c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 0777, 0700u);
	auto files = segment_files(dir);
	ASSERT_EQ(files.size(), 1u);
	ASSERT_EQ(::stat(files[0].c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(SpoolTest, UnsentReportsSurviveARestartAndSettledOnesDoNotComeBack) {
	{
		auto s = open();
		append(*s, 1, 5);
		SpoolBatch b;
		ASSERT_TRUE(s->next_batch(2, 1 << 20, b));
		s->settle(b); // 1 and 2 delivered
	}
	auto s = open();
	EXPECT_EQ(pending_seqs(*s), range(3, 5));
	EXPECT_EQ(s->next_seq_floor(), 6u);
	append(*s, 6, 7);
	EXPECT_EQ(pending_seqs(*s), range(3, 7));
}

TEST_F(SpoolTest, DeliveredFilesAreRemovedAndTheFloorSurvives) {
	settings.segment_bytes = 16 << 10;
	{
		auto s = open();
		append(*s, 1, 100, 500); // several files
		EXPECT_GT(s->files(), 2u);
		SpoolBatch b;
		while (s->next_batch(7, 1 << 20, b))
			s->settle(b);
		EXPECT_EQ(s->pending(), 0u);
		EXPECT_EQ(s->files(), 1u); // only the file being written
	}
	auto s = open();
	EXPECT_EQ(s->pending(), 0u);
	EXPECT_EQ(s->next_seq_floor(), 101u);
	EXPECT_LE(segment_files(dir).size(), 1u);
}

TEST_F(SpoolTest, BatchesRespectCountAndSizeButNeverStall) {
	auto s = open();
	append(*s, 1, 10, 100);
	SpoolBatch b;
	ASSERT_TRUE(s->next_batch(3, 1 << 20, b));
	EXPECT_EQ(b.reports.size(), 3u);
	size_t one = json_for(1, 100).size();
	ASSERT_TRUE(s->next_batch(500, one * 4 + 1, b));
	EXPECT_EQ(b.reports.size(), 4u);
	EXPECT_LE(b.json_bytes, one * 4 + 1);
	ASSERT_TRUE(s->next_batch(500, 10, b)); // smaller than one report: still one
	EXPECT_EQ(b.reports.size(), 1u);
}

TEST_F(SpoolTest, SizeLimitDropsTheOldestAndCountsThem) {
	settings.max_bytes = 64 << 10;
	settings.segment_bytes = 16 << 10;
	{
		auto s = open();
		append(*s, 1, 300, 900); // ~300 KB into a 64 KiB spool
		EXPECT_LE(s->bytes(), settings.max_bytes);
		EXPECT_GT(s->dropped(), 0u);
		EXPECT_EQ(s->pending() + s->dropped(), 300u);
		auto seqs = pending_seqs(*s);
		ASSERT_FALSE(seqs.empty());
		EXPECT_EQ(seqs.back(), 300u);
		EXPECT_EQ(seqs, range(seqs.front(), 300)); // the newest, contiguous
	}
	auto s = open();
	EXPECT_EQ(s->pending() + s->dropped(), 300u); // the counter is kept across restarts
}

TEST_F(SpoolTest, AgeLimitDropsOldReportsAndCountsThem) {
	settings.max_age_s = 3600;
	auto s = open();
	for (uint64_t q = 1; q <= 10; ++q) // one every 10 minutes, the oldest 100 minutes ago
		ASSERT_TRUE(s->append(q, now_ms() - static_cast<int64_t>(11 - q) * 600'000, json_for(q)).ok());
	// Reports 1..4 are 70..100 minutes old; 5 is exactly an hour old and stays.
	EXPECT_EQ(s->dropped(), 4u);
	EXPECT_EQ(pending_seqs(*s), range(5, 10));
	clock.advance(std::chrono::minutes(35)); // now 5..8 are 65..95 minutes old
	s->enforce_limits();
	EXPECT_EQ(pending_seqs(*s), range(9, 10));
	EXPECT_EQ(s->dropped(), 8u);
}

TEST_F(SpoolTest, OlderStreamsGoFirstInTheirOwnBatches) {
	{
		auto s = open(kStreamA);
		append(*s, 41, 43);
	}
	auto s = open(kStreamB);            // the state file was lost: a new stream
	EXPECT_EQ(s->next_seq_floor(), 1u); // another stream's numbers do not count
	append(*s, 1, 2);
	SpoolBatch b;
	ASSERT_TRUE(s->next_batch(500, 1 << 20, b));
	EXPECT_EQ(b.stream, kStreamA);
	EXPECT_EQ(b.reports.size(), 3u);
	s->settle(b);
	ASSERT_TRUE(s->next_batch(500, 1 << 20, b));
	EXPECT_EQ(b.stream, kStreamB);
	EXPECT_EQ(b.reports.size(), 2u);
}

TEST_F(SpoolTest, DamagedRecordIsSkippedWithOneLogLine) {
	{
		auto s = open();
		append(*s, 1, 5, 50);
	}
	auto files = segment_files(dir);
	ASSERT_EQ(files.size(), 1u);
	// Flip one byte inside report 3's JSON.
	std::string bytes;
	{
		std::ifstream in(files[0], std::ios::binary);
		bytes.assign(std::istreambuf_iterator<char>(in), {});
	}
	size_t at = bytes.find(json_for(3, 50));
	ASSERT_NE(at, std::string::npos);
	bytes[at + 10] ^= 0x20;
	std::ofstream(files[0], std::ios::binary | std::ios::trunc) << bytes;

	::testing::internal::CaptureStderr();
	auto s = open();
	std::string log = ::testing::internal::GetCapturedStderr();
	EXPECT_THAT(log, HasSubstr("damaged record"));
	EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 2) << log; // one warning + the summary
	EXPECT_EQ(pending_seqs(*s), (std::vector<uint64_t>{1, 2, 4, 5}));
}

TEST_F(SpoolTest, TornTailIsIgnoredWithALogLine) {
	{
		auto s = open();
		append(*s, 1, 4, 50);
	}
	auto files = segment_files(dir);
	ASSERT_EQ(files.size(), 1u);
	auto size = std::filesystem::file_size(files[0]);
	std::filesystem::resize_file(files[0], size - 20); // the agent died mid-write
	::testing::internal::CaptureStderr();
	auto s = open();
	std::string log = ::testing::internal::GetCapturedStderr();
	EXPECT_THAT(log, HasSubstr("incomplete"));
	EXPECT_EQ(pending_seqs(*s), range(1, 3));
	append(*s, 5, 5); // and it goes on in a new file
	EXPECT_EQ(pending_seqs(*s), (std::vector<uint64_t>{1, 2, 3, 5}));
}

TEST_F(SpoolTest, UnreadableFileIsRemovedWithALogLine) {
	std::filesystem::create_directories(dir);
	std::string junk = dir + "/seg-00000000000000000007.spool";
	std::ofstream(junk) << "this is not a spool file at all";
	::testing::internal::CaptureStderr();
	auto s = open();
	std::string log = ::testing::internal::GetCapturedStderr();
	EXPECT_THAT(log, HasSubstr("no readable header"));
	EXPECT_FALSE(std::filesystem::exists(junk));
	EXPECT_EQ(s->pending(), 0u);
	append(*s, 1, 1);
	EXPECT_EQ(pending_seqs(*s), range(1, 1));
}

TEST_F(SpoolTest, RandomDamageNeverCrashesAndNeverInvents) {
	std::mt19937 rng(12345);
	for (int round = 0; round < 60; ++round) {
		std::filesystem::remove_all(dir);
		{
			auto s = open();
			append(*s, 1, 20, rng() % 200);
		}
		auto files = segment_files(dir);
		ASSERT_EQ(files.size(), 1u);
		std::string bytes;
		{
			std::ifstream in(files[0], std::ios::binary);
			bytes.assign(std::istreambuf_iterator<char>(in), {});
		}
		int damage = static_cast<int>(rng() % 3);
		for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k) {
			size_t at = rng() % bytes.size();
			if (damage == 0)
				bytes[at] = static_cast<char>(bytes[at] ^ (1 << (rng() % 8)));
			else if (damage == 1)
				bytes.resize(at);
			else
				bytes.insert(at, std::string(rng() % 40, static_cast<char>(rng())));
			if (bytes.empty())
				break;
		}
		std::ofstream(files[0], std::ios::binary | std::ios::trunc) << bytes;
		::testing::internal::CaptureStderr();
		auto s = open();
		auto seqs = pending_seqs(*s);
		::testing::internal::GetCapturedStderr();
		EXPECT_LE(seqs.size(), 20u);
		EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
		for (uint64_t q : seqs)
			EXPECT_TRUE(q >= 1 && q <= 20) << q;
		append(*s, 21, 21); // still usable
	}
}

TEST_F(SpoolTest, UnusableDirectoryFallsBackToMemory) {
	std::filesystem::create_directories(dir);
	std::ofstream(dir + "/file") << "x";
	settings.dir = dir + "/file/spool"; // under a regular file: never a directory
	::testing::internal::CaptureStderr();
	auto s = open();
	auto r = s->append(1, now_ms(), json_for(1));
	std::string log = ::testing::internal::GetCapturedStderr();
	EXPECT_FALSE(r.ok());
	EXPECT_THAT(log, HasSubstr("memory"));
	EXPECT_FALSE(s->on_disk());
	(void)s->append(2, now_ms(), json_for(2));
	EXPECT_EQ(pending_seqs(*s), range(1, 2));
	SpoolBatch b;
	ASSERT_TRUE(s->next_batch(500, 1 << 20, b));
	s->settle(b);
	EXPECT_EQ(s->pending(), 0u);
	s->forget_newest_in_memory(); // nothing to forget: no crash
}

TEST_F(SpoolTest, KillNineAfterAppendLosesNothing) {
	// A child appends reports and is killed with SIGKILL at once after the Nth append returned;
	// every report whose append returned must be there afterwards.
	for (int n : {1, 7, 33}) {
		std::filesystem::remove_all(dir);
		pid_t pid = ::fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			auto s = Spool::open(settings, kStreamA, clock);
			s->begin();
			for (int q = 1; q <= n; ++q)
				if (!s->append(static_cast<uint64_t>(q), clock.unix_millis(),
				               json_for(static_cast<uint64_t>(q), 300)))
					::_exit(3);
			::kill(::getpid(), SIGKILL);
			::_exit(4);
		}
		int status = 0;
		ASSERT_EQ(::waitpid(pid, &status, 0), pid);
		ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
		auto s = open();
		EXPECT_EQ(pending_seqs(*s), range(1, static_cast<uint64_t>(n)));
		EXPECT_EQ(s->next_seq_floor(), static_cast<uint64_t>(n) + 1);
	}
}

TEST(SpoolLock, SecondHolderIsRefused) {
	std::string path = ::testing::TempDir() + "/ss-lock-" + std::to_string(::getpid());
	auto first = lock_instance(path);
	ASSERT_TRUE(first.ok()) << first.error().message;
	pid_t pid = ::fork(); // flock is per open file description: test from another process
	if (pid == 0)
		::_exit(lock_instance(path).ok() ? 0 : 1);
	int status = 0;
	::waitpid(pid, &status, 0);
	EXPECT_EQ(WEXITSTATUS(status), 1);
	::close(*first);
	pid = ::fork();
	if (pid == 0)
		::_exit(lock_instance(path).ok() ? 0 : 1);
	::waitpid(pid, &status, 0);
	EXPECT_EQ(WEXITSTATUS(status), 0);
	::unlink(path.c_str());
}
