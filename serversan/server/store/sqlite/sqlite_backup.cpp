// Online copies of the SQLite database: `db backup` and the copy before a migration.
//
// A copy must not hold the database for its whole length. VACUUM INTO (what this did before)
// reads everything in one read transaction, up to 24 s for a 1 GB database, and while a reader
// is open no checkpoint can reset the WAL: with a backup every 30 s under ingest the WAL grew to
// 995 MB (issue 18). So the copy is made with SQLite's online backup API in steps of
// kStepPages, each holding a read transaction for a few milliseconds, with a pause at least as
// long as the step between them; checkpoints reset the WAL in the pauses.
//
// Consistency between steps: when the source connection is the store's writer, every commit
// through it also rewrites the pages the copy already holds (SQLite does this for writes through
// the backup's source connection), so the copy never restarts and ends as the database of its
// last step. A commit by any other connection (another process: `db backup` from the CLI beside
// a running server) makes SQLite restart the copy from page 1. Under constant ingest that would
// never end, so after kRestartsBeforeOnePass restarts the rest is copied in one step: one read
// transaction as long as a page copy (several times shorter than a VACUUM), after which the
// writer's journal_size_limit shrinks the WAL again at its next reset.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

#include "serversan/core/log.h"
#include "serversan/server/store/sqlite/sqlite_store.h"

namespace serversan::store::sqlite {

namespace {

constexpr int kStepPages = 512; // 2 MiB of 4 KiB pages: a few milliseconds per step
constexpr int kRestartsBeforeOnePass = 3;
constexpr auto kMinPause = std::chrono::milliseconds(1);
constexpr int kBusyRetries = 2000; // with the pause: seconds of a locked source before giving up

Error sqlite_error(sqlite3* db, int rc) {
	return Err(fmt::format("sqlite: {}", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

// One sqlite3_backup from `src` into `dest`, finished when it goes out of scope. `mu` guards the
// source connection when another thread uses it (the store's writer): it is held while the run
// touches the source (init, each step, finish), since the source's commits write into the copy.
class BackupRun {
public:
	BackupRun(Db& dest, sqlite3* src, std::mutex* mu) : dest_(dest), mu_(mu) {
		auto l = lock();
		p_ = sqlite3_backup_init(dest.handle(), "main", src, "main");
	}
	~BackupRun() { (void)finish(); }
	BackupRun(const BackupRun&) = delete;
	BackupRun& operator=(const BackupRun&) = delete;
	bool valid() const { return p_ != nullptr; }
	struct Step {
		int rc;
		int copied;                               // pages copied so far
		std::chrono::steady_clock::duration held; // with the source locked (not waiting for it)
	};
	// Copies up to `pages` pages (-1: all).
	Step step(int pages) {
		auto l = lock();
		auto t0 = std::chrono::steady_clock::now();
		int rc = sqlite3_backup_step(p_, pages);
		return {rc, sqlite3_backup_pagecount(p_) - sqlite3_backup_remaining(p_),
		        std::chrono::steady_clock::now() - t0};
	}
	// The first error the run met (a failed step, or a failed write into the copy of a page
	// the source's own commits changed).
	Result<void> finish() {
		if (!p_)
			return Ok();
		auto l = lock();
		int rc = sqlite3_backup_finish(p_);
		p_ = nullptr;
		if (rc != SQLITE_OK)
			return sqlite_error(dest_.handle(), rc);
		return Ok();
	}

private:
	std::unique_lock<std::mutex> lock() {
		return mu_ ? std::unique_lock(*mu_) : std::unique_lock<std::mutex>();
	}
	Db& dest_;
	std::mutex* mu_;
	sqlite3_backup* p_ = nullptr;
};

// Copies in small steps with pauses between them. Returns false when other connections
// restarted the copy too often to go on this way.
Result<bool> copy_in_steps(Db& dest, Db& src, std::mutex* mu) {
	BackupRun run(dest, src.handle(), mu);
	if (!run.valid())
		return sqlite_error(dest.handle(), SQLITE_ERROR);
	int restarts = 0, busy = 0, copied = 0;
	while (true) {
		auto [rc, now_copied, held] = run.step(kStepPages);
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (++busy > kBusyRetries)
				return sqlite_error(dest.handle(), rc);
		} else if (rc != SQLITE_OK) {
			(void)run.finish();
			return sqlite_error(dest.handle(), rc);
		} else if (copied > 0 && now_copied <= copied && ++restarts >= kRestartsBeforeOnePass) {
			return false;
		}
		copied = now_copied;
		// The source at most half the time: the writer (waiting on mu) and checkpoints get the
		// rest. Time spent waiting for the writer is not counted: a copy paced by the writer's
		// commits would fall behind a growing database.
		std::this_thread::sleep_for(std::max<std::chrono::steady_clock::duration>(held, kMinPause));
	}
	if (auto r = run.finish(); !r.ok())
		return r.error();
	return true;
}

// The whole database in one step, on a connection of its own: one read transaction, so other
// connections' commits cannot restart it.
Result<void> copy_in_one_pass(Db& dest, const std::string& source) {
	auto src = Db::open(source);
	if (!src.ok())
		return src.error();
	if (auto r = src->exec("PRAGMA busy_timeout=10000"); !r.ok())
		return r;
	BackupRun run(dest, src->handle(), nullptr);
	if (!run.valid())
		return sqlite_error(dest.handle(), SQLITE_ERROR);
	if (int rc = run.step(-1).rc; rc != SQLITE_DONE) {
		(void)run.finish();
		return sqlite_error(dest.handle(), rc);
	}
	return run.finish();
}

void fsync_path(const std::string& path, int flags) {
	int fd = ::open(path.c_str(), flags | O_CLOEXEC);
	if (fd >= 0) {
		::fsync(fd);
		::close(fd);
	}
}

// An empty copy to write into. No journal and no sync while copying: the file is new and
// removed on failure, and it is synced once after the source is released (SQLite's commit of the
// copy would sync inside the last step, holding the source's read transaction meanwhile).
Result<Db> open_copy(const std::string& dest) {
	if (::truncate(dest.c_str(), 0) != 0)
		return Err(fmt::format("cannot truncate {}: {}", dest, std::strerror(errno)));
	auto out = Db::open_private(dest);
	if (!out.ok())
		return out.error();
	if (auto r = out->exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF"); !r.ok())
		return r.error();
	return out;
}

// Opens the finished copy as a database of its own: rollback journal (one file, nothing beside
// it to lose), then integrity_check.
Result<std::string> check_copy(const std::string& dest) {
	auto copy = Db::open_private(dest);
	if (!copy.ok())
		return copy.error();
	if (auto r = copy->exec("PRAGMA journal_mode=DELETE"); !r.ok())
		return r.error();
	auto st = copy->prepare("PRAGMA integrity_check");
	if (!st.ok())
		return st.error();
	auto row = st->step();
	if (!row.ok())
		return row.error();
	return *row ? st->text(0) : std::string();
}

// `src` is the connection to copy from when the caller has one (the writer, under `mu`);
// otherwise the copy opens its own on `source`.
Result<BackupInfo> copy_database(const std::string& source, Db* src, std::mutex* mu,
                                 const std::string& dest) {
	if (!std::filesystem::exists(source))
		return Err(fmt::format("no database at {}", source));
	// A journal, WAL or shared-memory file left beside the name would be read as part of the
	// copy.
	for (const char* suffix : {"-journal", "-wal", "-shm"})
		if (std::filesystem::exists(dest + suffix))
			return Err(fmt::format("cannot create {}: {}{} exists", dest, dest, suffix));
	// Created 0600 before a byte is written, so the copy is never readable by others, not even
	// for a moment; O_EXCL: an existing file (an older backup, the database itself) is never
	// overwritten.
	int fd = ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return Err(fmt::format("cannot create {}: {}", dest, std::strerror(errno)));
	::close(fd);
	auto remove = [&](const Error& e) -> Error {
		std::error_code ec;
		for (const char* suffix : {"", "-journal", "-wal", "-shm"})
			std::filesystem::remove(dest + suffix, ec);
		return Err(fmt::format("backup to {} failed: {}", dest, e.message));
	};
	auto t0 = std::chrono::steady_clock::now();
	{
		std::optional<Db> own;
		if (!src) {
			auto o = Db::open(source);
			if (!o.ok())
				return remove(o.error());
			if (auto r = o->exec("PRAGMA busy_timeout=10000"); !r.ok())
				return remove(r.error());
			own.emplace(std::move(*o));
			src = &*own;
		}
		bool done = false;
		{
			auto out = open_copy(dest);
			if (!out.ok())
				return remove(out.error());
			auto stepped = copy_in_steps(*out, *src, mu);
			if (!stepped.ok())
				return remove(stepped.error());
			done = *stepped;
		}
		if (!done) {
			log::info("store: other connections kept writing {}; copying it in one pass", source);
			auto out = open_copy(dest); // the abandoned run cannot be rolled back without a journal
			if (!out.ok())
				return remove(out.error());
			if (auto r = copy_in_one_pass(*out, source); !r.ok())
				return remove(r.error());
		}
	}
	fsync_path(dest, O_RDONLY);
	BackupInfo info;
	info.path = dest;
	auto integrity = check_copy(dest);
	if (!integrity.ok())
		return remove(integrity.error());
	info.integrity = *integrity;
	if (info.integrity != "ok")
		return remove(Err(fmt::format("integrity_check on the copy says: {}", info.integrity)));
	::chmod(dest.c_str(), 0600);
	std::filesystem::path dir = std::filesystem::path(dest).parent_path();
	fsync_path(dir.empty() ? "." : dir.string(), O_RDONLY | O_DIRECTORY);
	info.bytes = file_size(dest);
	log::info(
	    "store: copied {} to {} ({} bytes) in {} ms", source, dest, info.bytes,
	    std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
	return info;
}

} // namespace

Result<BackupInfo> backup_file(const std::string& source, const std::string& dest) {
	return copy_database(source, nullptr, nullptr, dest);
}

Result<BackupInfo> SqliteStore::backup(const std::string& dest) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	return copy_database(opts_.path, &w_, &wmu_, dest);
}

} // namespace serversan::store::sqlite
