// "Acknowledged means durable" under a power cut, not only under kill -9: a kill leaves every
// write() in the page cache, a power cut keeps only what was fsynced (and maybe some of the rest).
// A recording VFS logs every write, truncate, sync and delete the store issues; the disk is then
// rebuilt as it could be after a cut at many points of that log, and each copy must open, pass
// integrity_check, and hold every acknowledged report and whole groups only.
#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::store;
using serversan::testing::TempDir;
namespace fs = std::filesystem;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;

// ---- The recording VFS ---------------------------------------------------------------------

enum class OpKind { write, truncate, sync, remove };

struct Op {
	OpKind kind = OpKind::write;
	std::string file;   // name inside the data directory (every file the store writes is there)
	int64_t offset = 0; // write: where; truncate: the new size
	std::string bytes;
};

// Global because SQLite calls plain function pointers; the mutex because the store writes from
// more than one thread (the writer, and readers that may run WAL recovery).
struct Journal {
	std::mutex mu;
	std::atomic<bool> recording{false};
	std::vector<Op> ops;
};
Journal g_journal;

sqlite3_vfs* g_real = nullptr; // the default VFS the shim forwards to
sqlite3_vfs g_shim{};          // static storage: files opened through it outlive the registration

struct ShimFile {
	sqlite3_file base{}; // first member: SQLite sees this
	sqlite3_file* real = nullptr;
	std::string name; // empty: not recorded (temporary files)
};
// The real file lives right after the wrapper in the block SQLite allocates (szOsFile).
constexpr size_t kRealOffset = (sizeof(ShimFile) + 15) / 16 * 16;

ShimFile* shim_of(sqlite3_file* f) {
	return reinterpret_cast<ShimFile*>(f);
}
sqlite3_file* real_of(sqlite3_file* f) {
	return shim_of(f)->real;
}

bool recording(const std::string& name) {
	return !name.empty() && g_journal.recording.load();
}

void record(Op op) {
	std::lock_guard lock(g_journal.mu);
	g_journal.ops.push_back(std::move(op));
}

size_t journal_size() {
	std::lock_guard lock(g_journal.mu);
	return g_journal.ops.size();
}

// Only the files whose content survives a restart: the database, its WAL and its rollback
// journal. The -shm file is shared memory, rebuilt from the WAL after a crash.
std::string durable_name(const char* path, int flags) {
	if (!path || !(flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)))
		return {};
	std::string_view p(path);
	if (p.ends_with("-shm"))
		return {};
	return fs::path(p).filename().string();
}

int x_close(sqlite3_file* f) {
	ShimFile* s = shim_of(f);
	int rc = s->real->pMethods->xClose(s->real);
	s->~ShimFile();
	return rc;
}
int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
	return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}
int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
	int rc = real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
	const std::string& name = shim_of(f)->name;
	if (rc == SQLITE_OK && recording(name))
		record(
		    {OpKind::write, name, off, std::string(static_cast<const char*>(buf), static_cast<size_t>(n))});
	return rc;
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
	int rc = real_of(f)->pMethods->xTruncate(real_of(f), size);
	const std::string& name = shim_of(f)->name;
	if (rc == SQLITE_OK && recording(name))
		record({OpKind::truncate, name, size, {}});
	return rc;
}
int x_sync(sqlite3_file* f, int flags) {
	int rc = real_of(f)->pMethods->xSync(real_of(f), flags);
	const std::string& name = shim_of(f)->name;
	if (rc == SQLITE_OK && recording(name))
		record({OpKind::sync, name, 0, {}});
	return rc;
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
	return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int x_lock(sqlite3_file* f, int level) {
	return real_of(f)->pMethods->xLock(real_of(f), level);
}
int x_unlock(sqlite3_file* f, int level) {
	return real_of(f)->pMethods->xUnlock(real_of(f), level);
}
int x_check_reserved_lock(sqlite3_file* f, int* out) {
	return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
	return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) {
	return real_of(f)->pMethods->xSectorSize(real_of(f));
}
int x_device_characteristics(sqlite3_file* f) {
	return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
	return real_of(f)->pMethods->xShmMap(real_of(f), region, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
	return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
	real_of(f)->pMethods->xShmBarrier(real_of(f));
}
int x_shm_unmap(sqlite3_file* f, int delete_flag) {
	return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
	return real_of(f)->pMethods->xFetch(real_of(f), off, n, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
	return real_of(f)->pMethods->xUnfetch(real_of(f), off, p);
}

// SQLite decides what a file supports (WAL needs version 2) from iVersion, so the wrapper claims
// exactly what the real file does.
sqlite3_io_methods make_methods(int version) {
	sqlite3_io_methods m{};
	m.iVersion = version;
	m.xClose = x_close;
	m.xRead = x_read;
	m.xWrite = x_write;
	m.xTruncate = x_truncate;
	m.xSync = x_sync;
	m.xFileSize = x_file_size;
	m.xLock = x_lock;
	m.xUnlock = x_unlock;
	m.xCheckReservedLock = x_check_reserved_lock;
	m.xFileControl = x_file_control;
	m.xSectorSize = x_sector_size;
	m.xDeviceCharacteristics = x_device_characteristics;
	if (version >= 2) {
		m.xShmMap = x_shm_map;
		m.xShmLock = x_shm_lock;
		m.xShmBarrier = x_shm_barrier;
		m.xShmUnmap = x_shm_unmap;
	}
	if (version >= 3) {
		m.xFetch = x_fetch;
		m.xUnfetch = x_unfetch;
	}
	return m;
}
const sqlite3_io_methods* methods_for(int version) {
	static const std::array<sqlite3_io_methods, 3> table{make_methods(1), make_methods(2), make_methods(3)};
	return &table[static_cast<size_t>(std::clamp(version, 1, 3) - 1)];
}

int v_open(sqlite3_vfs*, const char* path, sqlite3_file* f, int flags, int* out_flags) {
	ShimFile* s = new (f) ShimFile{};
	s->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kRealOffset);
	s->real->pMethods = nullptr;
	int rc = g_real->xOpen(g_real, path, s->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		// SQLite calls xClose only on files whose pMethods is set.
		if (s->real->pMethods)
			s->real->pMethods->xClose(s->real);
		s->~ShimFile();
		f->pMethods = nullptr;
		return rc;
	}
	s->name = durable_name(path, flags);
	s->base.pMethods = methods_for(s->real->pMethods->iVersion);
	return SQLITE_OK;
}

int v_delete(sqlite3_vfs*, const char* path, int sync_dir) {
	int rc = g_real->xDelete(g_real, path, sync_dir);
	std::string name = durable_name(path, SQLITE_OPEN_MAIN_JOURNAL);
	if (rc == SQLITE_OK && recording(name))
		record({OpKind::remove, name, 0, {}});
	return rc;
}

void build_shim() {
	g_shim = *g_real;
	g_shim.iVersion = std::min(g_real->iVersion, 2); // no system-call overrides (a test hook of the real VFS)
	g_shim.szOsFile = static_cast<int>(kRealOffset) + g_real->szOsFile;
	g_shim.pNext = nullptr;
	g_shim.zName = "serversan-power-cut";
	g_shim.pAppData = nullptr;
	g_shim.xOpen = v_open;
	g_shim.xDelete = v_delete;
	g_shim.xAccess = [](sqlite3_vfs*, const char* p, int flags, int* out) {
		return g_real->xAccess(g_real, p, flags, out);
	};
	g_shim.xFullPathname = [](sqlite3_vfs*, const char* p, int n, char* out) {
		return g_real->xFullPathname(g_real, p, n, out);
	};
	g_shim.xDlOpen = [](sqlite3_vfs*, const char* p) { return g_real->xDlOpen(g_real, p); };
	g_shim.xDlError = [](sqlite3_vfs*, int n, char* out) { g_real->xDlError(g_real, n, out); };
	g_shim.xDlSym = [](sqlite3_vfs*, void* h, const char* sym) { return g_real->xDlSym(g_real, h, sym); };
	g_shim.xDlClose = [](sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); };
	g_shim.xRandomness = [](sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); };
	g_shim.xSleep = [](sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); };
	g_shim.xCurrentTime = [](sqlite3_vfs*, double* out) { return g_real->xCurrentTime(g_real, out); };
	g_shim.xGetLastError = [](sqlite3_vfs*, int n, char* out) {
		return g_real->xGetLastError(g_real, n, out);
	};
	if (g_shim.iVersion >= 2)
		g_shim.xCurrentTimeInt64 = [](sqlite3_vfs*, sqlite3_int64* out) {
			return g_real->xCurrentTimeInt64(g_real, out);
		};
}

// The shim is the default VFS (so every connection the store opens goes through it) only while
// this lives: a failing test must not leave later tests of the binary recording.
class RecordingVfs {
public:
	RecordingVfs() {
		sqlite3_vfs* current = sqlite3_vfs_find(nullptr);
		if (!current || current == &g_shim)
			return;
		g_real = current;
		build_shim();
		{
			std::lock_guard lock(g_journal.mu);
			g_journal.ops.clear();
		}
		registered_ = sqlite3_vfs_register(&g_shim, 1) == SQLITE_OK;
		g_journal.recording = registered_;
	}
	~RecordingVfs() { stop(); }
	RecordingVfs(const RecordingVfs&) = delete;
	RecordingVfs& operator=(const RecordingVfs&) = delete;

	bool active() const { return registered_; }
	// Ends recording and makes the real VFS the default again; files already open through the
	// shim keep working (and stay unrecorded).
	std::vector<Op> stop() {
		g_journal.recording = false;
		if (registered_) {
			sqlite3_vfs_unregister(&g_shim);
			sqlite3_vfs_register(g_real, 1);
			registered_ = false;
		}
		std::lock_guard lock(g_journal.mu);
		return std::move(g_journal.ops);
	}

private:
	bool registered_ = false;
};

// ---- Rebuilding the disk after a cut -------------------------------------------------------

enum class Survival {
	strict, // exactly what was fsynced
	torn,   // that, plus a random subset of the unsynced operations (the disk wrote some anyway)
	issued, // everything issued, as after kill -9: the only way a group in flight can be complete
};

// Writes into dest the files as a power cut before ops[cut] could leave them. Per file, every
// operation up to its last sync survives; later ones are lost (strict), each kept with
// probability 1/2, in order (torn), or all kept (issued). Directory entries (creations and
// deletes) are taken as durable at once: the only delete is the rollback journal's while the
// database is switched to WAL, long before the first cut.
void rebuild(const std::vector<Op>& ops, size_t cut, Survival survival, uint32_t seed, const fs::path& dest) {
	std::map<std::string, std::vector<size_t>> by_file;
	for (size_t i = 0; i < cut; ++i)
		by_file[ops[i].file].push_back(i);
	std::mt19937 rng(seed);
	fs::create_directories(dest);
	for (const auto& [name, idx] : by_file) {
		size_t durable = 0; // leading entries of idx that survive for sure
		for (size_t j = idx.size(); j-- > 0;) {
			OpKind k = ops[idx[j]].kind;
			if (k == OpKind::sync || k == OpKind::remove) {
				durable = j + 1; // a delete wipes what came before it anyway
				break;
			}
		}
		bool exists = true; // it was opened (created) before its first operation
		std::string data;
		auto apply = [&](const Op& op) {
			switch (op.kind) {
			case OpKind::write: {
				size_t end = static_cast<size_t>(op.offset) + op.bytes.size();
				if (data.size() < end)
					data.resize(end, '\0');
				std::copy(op.bytes.begin(), op.bytes.end(), data.begin() + op.offset);
				exists = true;
				break;
			}
			case OpKind::truncate:
				data.resize(static_cast<size_t>(op.offset), '\0');
				exists = true;
				break;
			case OpKind::sync:
				break;
			case OpKind::remove:
				data.clear();
				exists = false;
				break;
			}
		};
		for (size_t j = 0; j < durable; ++j)
			apply(ops[idx[j]]);
		if (survival != Survival::strict)
			for (size_t j = durable; j < idx.size(); ++j)
				if (survival == Survival::issued || (rng() & 1))
					apply(ops[idx[j]]);
		if (exists) {
			std::ofstream out(dest / name, std::ios::binary | std::ios::trunc);
			out.write(data.data(), static_cast<std::streamsize>(data.size()));
		}
	}
}

// The key file is written with plain file I/O at first start (fsynced, with its directory), long
// before any cut: copied as it is, modes included (the store refuses a key file others can read).
void copy_key_file(const fs::path& from_dir, const fs::path& to_dir) {
	fs::create_directory(to_dir / "keys", from_dir / "keys");
	fs::copy_file(from_dir / "keys" / "store.key", to_dir / "keys" / "store.key");
}

std::string integrity_of(const std::string& path) {
	sqlite3* db = nullptr;
	std::string out;
	if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
		out = fmt::format("cannot open: {}", db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return out;
	}
	sqlite3_stmt* s = nullptr;
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW)
			out = out.empty()
			          ? fmt::format("{}", reinterpret_cast<const char*>(sqlite3_column_text(s, 0)))
			          : fmt::format("{}; {}", out, reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
	} else {
		out = sqlite3_errmsg(db);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return out;
}

// ---- The workload --------------------------------------------------------------------------

constexpr size_t kServers = 2;
// Enough for the WAL to pass SQLite's auto-checkpoint (1000 pages) once, so cuts also land in
// a checkpoint and in the WAL's restart from its beginning.
constexpr size_t kGroups = 300;

struct Group {
	std::vector<IngestBatch> batches; // one per server
	std::array<uint64_t, kServers> sizes{};
};

// Groups 0..kGroups-1 are appended live; group kGroups never is (the "next group" after the
// last acknowledged one).
std::vector<Group> make_groups(const std::array<uint64_t, kServers>& ids) {
	std::vector<Group> groups(kGroups + 1);
	std::array<uint64_t, kServers> next_seq{1, 1};
	for (size_t g = 0; g < groups.size(); ++g) {
		for (size_t s = 0; s < kServers; ++s) {
			size_t n = 2 + (g + s) % 2;
			int64_t time_ms = T0 + static_cast<int64_t>(next_seq[s] - 1) * kMinuteMs;
			ReportBatch b = serversan::testing::sample_batch(next_seq[s], n, time_ms);
			int64_t received = b.reports.back().time_ms;
			groups[g].batches.push_back({ids[s], std::move(b), received});
			groups[g].sizes[s] = n;
			next_seq[s] += n;
		}
	}
	return groups;
}

struct Workload {
	std::array<uint64_t, kServers> ids{};
	std::vector<Group> groups;
	size_t base = 0;            // journal length once the servers exist
	std::vector<size_t> ack_at; // ack_at[k]: journal length when k groups were acknowledged
	std::vector<std::array<uint64_t, kServers>> acked; // acked[k]: reports per server in the first k groups
	std::vector<Op> ops;
};

// Groups acknowledged before a cut at `cut`: the last k with ack_at[k] <= cut.
size_t acked_before(const Workload& run, size_t cut) {
	auto it = std::upper_bound(run.ack_at.begin(), run.ack_at.end(), cut);
	return static_cast<size_t>(it - run.ack_at.begin()) - 1;
}

// Opens a rebuilt copy and checks it against what was acknowledged before the cut; returns
// whether the group in flight at the cut made it (nullopt when the copy failed a check).
std::optional<bool> check_copy(const Workload& run, const fs::path& dir, size_t k,
                               const std::function<void(Store&)>& extra = {}) {
	std::string db = (dir / "serversan.db").string();
	StoreOptions o;
	o.path = db;
	auto opened = open_store(o);
	EXPECT_TRUE(opened.ok()) << opened.error().message;
	if (!opened.ok())
		return std::nullopt;
	Store& s = **opened;
	EXPECT_EQ(integrity_of(db), "ok");

	// Commits are atomic: either no report of the group in flight, or all of them (both servers).
	const Group& next = run.groups[k];
	std::array<uint64_t, kServers> count{};
	bool without = true, with = true;
	for (size_t i = 0; i < kServers; ++i) {
		auto c = s.count_samples(run.ids[i]);
		EXPECT_TRUE(c.ok()) << c.error().message;
		if (!c.ok())
			return std::nullopt;
		count[i] = *c;
		without = without && count[i] == run.acked[k][i];
		with = with && count[i] == run.acked[k][i] + next.sizes[i];
	}
	EXPECT_TRUE(without || with) << fmt::format(
	    "{} groups acknowledged ({} and {} reports); the copy holds {} and {} (group in flight: {} and {})",
	    k, run.acked[k][0], run.acked[k][1], count[0], count[1], next.sizes[0], next.sizes[1]);
	if (!(without || with))
		return std::nullopt;
	if (extra)
		extra(s);

	// The sequence windows agree with the rows: the last acknowledged group is all duplicates,
	// and the next one is stored (or found already stored) exactly once.
	if (k > 0) {
		auto again = s.append(run.groups[k - 1].batches);
		EXPECT_TRUE(again.ok()) << again.error().message;
		if (!again.ok())
			return std::nullopt;
		for (size_t i = 0; i < kServers; ++i) {
			EXPECT_EQ((*again)[i].accepted, 0u) << "server " << i;
			EXPECT_EQ((*again)[i].duplicates, run.groups[k - 1].sizes[i]) << "server " << i;
		}
	}
	auto more = s.append(next.batches);
	EXPECT_TRUE(more.ok()) << more.error().message;
	if (!more.ok())
		return std::nullopt;
	for (size_t i = 0; i < kServers; ++i) {
		EXPECT_EQ((*more)[i].accepted, with ? 0u : next.sizes[i]) << "server " << i;
		EXPECT_EQ((*more)[i].duplicates, with ? next.sizes[i] : 0u) << "server " << i;
		EXPECT_EQ((*more)[i].stale, 0u) << "server " << i;
		auto c = s.count_samples(run.ids[i]);
		EXPECT_TRUE(c.ok() && *c == run.acked[k][i] + next.sizes[i]) << "server " << i;
	}
	return with;
}

// The first checkpoint after the servers exist: its first write to the database file and that
// file's next sync.
std::optional<std::pair<size_t, size_t>> first_checkpoint(const Workload& run) {
	std::optional<size_t> first;
	for (size_t i = run.base; i < run.ops.size(); ++i) {
		if (run.ops[i].file != "serversan.db")
			continue;
		if (!first)
			first = i;
		if (run.ops[i].kind == OpKind::sync)
			return std::make_pair(*first, i);
	}
	return std::nullopt;
}

struct Cut {
	size_t at = 0;
	std::string why;
};

// About 40 cuts after the servers exist: at acknowledgements, one operation before them (the
// commit's fsync not done), half-way through a group, in and just after a checkpoint, and
// random ones.
std::vector<Cut> choose_cuts(const Workload& run) {
	std::mt19937 rng(20251124);
	std::uniform_int_distribution<size_t> group(1, kGroups);
	std::map<size_t, std::string> cuts;
	auto add = [&](size_t at, std::string why) {
		if (at > run.base && at <= run.ops.size())
			cuts.emplace(at, std::move(why));
	};
	add(run.base + 1, "first operation after the servers exist");
	add(run.ack_at.back(), "end");
	for (int i = 0; i < 8; ++i) {
		size_t k = group(rng);
		add(run.ack_at[k], fmt::format("at the acknowledgement of group {}", k));
		k = group(rng);
		add(run.ack_at[k] - 1, fmt::format("one operation before the acknowledgement of group {}", k));
		k = group(rng);
		add((run.ack_at[k - 1] + run.ack_at[k]) / 2, fmt::format("half-way through group {}", k));
	}
	if (auto cp = first_checkpoint(run)) {
		auto [first, sync] = *cp;
		add(first, "before a checkpoint's first write to the database file");
		add((first + sync) / 2, "half-way through a checkpoint");
		add(sync, "before a checkpoint's sync of the database file");
		for (size_t i = 1; i <= 3; ++i)
			add(sync + i, "as the WAL restarts from its beginning after a checkpoint");
	}
	std::uniform_int_distribution<size_t> anywhere(run.base + 1, run.ops.size());
	while (cuts.size() < 40)
		add(anywhere(rng), "random");
	std::vector<Cut> out;
	for (auto& [at, why] : cuts)
		out.push_back({at, why});
	return out;
}

} // namespace

TEST(StorePowerCut, AcknowledgedAppendsSurviveAnyCut) {
	TempDir dir;
	fs::path live_dir = dir.path() / "live";
	fs::create_directories(live_dir);
	Workload run;
	RecordingVfs vfs;
	ASSERT_TRUE(vfs.active());
	StoreOptions o;
	o.path = (live_dir / "serversan.db").string();
	// SQLite's own default: the workload then passes through checkpoints (the default of 4,000
	// pages would need ten times as many groups).
	o.wal_checkpoint_pages = 1000;
	auto opened = open_store(o);
	ASSERT_TRUE(opened.ok()) << opened.error().message;
	// Kept open to the end of the test: closing would checkpoint and delete the WAL, which is
	// exactly the state a power cut never leaves behind.
	std::unique_ptr<Store> live = std::move(*opened);
	for (size_t i = 0; i < kServers; ++i) {
		auto id = live->create_server(std::nullopt, fmt::format("s{}", i), SigningKey{}, T0);
		ASSERT_TRUE(id.ok()) << id.error().message;
		run.ids[i] = *id;
	}
	run.groups = make_groups(run.ids);
	run.base = journal_size();
	run.ack_at.push_back(run.base);
	run.acked.push_back({});
	for (size_t g = 0; g < kGroups; ++g) {
		auto r = live->append(run.groups[g].batches);
		ASSERT_TRUE(r.ok()) << r.error().message;
		run.ack_at.push_back(journal_size());
		auto acked = run.acked.back();
		for (size_t i = 0; i < kServers; ++i) {
			ASSERT_EQ((*r)[i].accepted, run.groups[g].sizes[i]);
			acked[i] += run.groups[g].sizes[i];
		}
		run.acked.push_back(acked);
	}
	// From here on nothing is recorded, and the rebuilt copies open with the real VFS.
	run.ops = vfs.stop();
	ASSERT_EQ(run.ops.size(), run.ack_at.back());
	ASSERT_GT(run.base, 0u);
	ASSERT_TRUE(first_checkpoint(run)) << "the workload no longer reaches a checkpoint: raise kGroups";

	// The whole log with nothing lost is the live store: every acknowledged report, and no other.
	{
		fs::path copy = dir.path() / "end";
		rebuild(run.ops, run.ops.size(), Survival::strict, 0, copy);
		copy_key_file(live_dir, copy);
		auto in_flight = check_copy(run, copy, kGroups, [&](Store& s) {
			for (size_t i = 0; i < kServers; ++i) {
				auto want = live->samples(run.ids[i], 0, std::numeric_limits<int64_t>::max());
				auto have = s.samples(run.ids[i], 0, std::numeric_limits<int64_t>::max());
				ASSERT_TRUE(want.ok() && have.ok());
				ASSERT_EQ(have->size(), want->size());
				EXPECT_EQ(want->size(), run.acked[kGroups][i]);
				for (size_t j = 0; j < want->size(); ++j) {
					EXPECT_EQ((*have)[j].seq, (*want)[j].seq);
					EXPECT_EQ((*have)[j].ts_ms, (*want)[j].ts_ms);
				}
			}
		});
		EXPECT_EQ(in_flight, std::optional<bool>(false)); // the extra group was never appended
		fs::remove_all(copy);
	}

	size_t lost_in_flight = 0, kept_in_flight = 0;
	for (const Cut& cut : choose_cuts(run)) {
		size_t k = acked_before(run, cut.at);
		for (Survival survival : {Survival::strict, Survival::torn, Survival::issued}) {
			const char* mode = survival == Survival::strict ? "strict"
			                   : survival == Survival::torn ? "torn"
			                                                : "issued";
			SCOPED_TRACE(fmt::format("{} power cut before operation {} of {} ({}), {} groups acknowledged",
			                         mode, cut.at, run.ops.size(), cut.why, k));
			fs::path copy = dir.path() / fmt::format("cut-{}-{}", cut.at, mode);
			rebuild(run.ops, cut.at, survival, static_cast<uint32_t>(cut.at), copy);
			copy_key_file(live_dir, copy);
			auto in_flight = check_copy(run, copy, k);
			if (in_flight && k < kGroups)
				++(*in_flight ? kept_in_flight : lost_in_flight);
			fs::remove_all(copy);
		}
	}
	// The cuts did hit work that was not acknowledged yet (a check that every copy holds
	// everything would prove nothing about the fsync), and both outcomes of a group in flight
	// were checked.
	EXPECT_GT(lost_in_flight, 0u);
	EXPECT_GT(kept_in_flight, 0u);
	RecordProperty("groups_in_flight_lost", static_cast<int>(lost_in_flight));
	RecordProperty("groups_in_flight_kept", static_cast<int>(kept_in_flight));
}
