#include "serversan/server/store/sqlite/sqlite_vfs.h"

#include <mutex>
#include <new>
#include <vector>

#include <sqlite3.h>

namespace serversan::store::sqlite {

namespace {

// unix's write takes at most 128 KiB - 1 at once (seekAndWriteFd masks the length with 0x1ffff).
constexpr size_t kMaxBuffered = 64 * 1024;
// Room for the real file behind our wrapper in the block SQLite allocates (szOsFile). The real
// VFS is only known when a file opens; unix's file object is far below this.
constexpr int kRealRoom = 4096;

struct File {
	sqlite3_file base{}; // first member: SQLite sees this
	sqlite3_file* real = nullptr;
	bool gather = false; // a WAL file
	sqlite3_int64 buf_off = 0;
	std::vector<char> buf;
};
constexpr size_t kRealOffset = (sizeof(File) + 15) / 16 * 16;

File* of(sqlite3_file* f) {
	return reinterpret_cast<File*>(f);
}
const sqlite3_io_methods* m(File* f) {
	return f->real->pMethods;
}

int flush(File* f) {
	if (f->buf.empty())
		return SQLITE_OK;
	int rc = m(f)->xWrite(f->real, f->buf.data(), static_cast<int>(f->buf.size()), f->buf_off);
	f->buf.clear();
	return rc;
}

// Every method that looks at or changes the file's content or size sees the buffer written first.
int x_close(sqlite3_file* p) {
	File* f = of(p);
	int rc = flush(f);
	int rc2 = m(f)->xClose(f->real);
	f->~File();
	return rc != SQLITE_OK ? rc : rc2;
}
int x_read(sqlite3_file* p, void* out, int n, sqlite3_int64 off) {
	File* f = of(p);
	if (int rc = flush(f); rc != SQLITE_OK)
		return rc;
	return m(f)->xRead(f->real, out, n, off);
}
int x_write(sqlite3_file* p, const void* data, int n, sqlite3_int64 off) {
	File* f = of(p);
	if (!f->gather)
		return m(f)->xWrite(f->real, data, n, off);
	bool follows = !f->buf.empty() && off == f->buf_off + static_cast<sqlite3_int64>(f->buf.size());
	if (!follows || f->buf.size() + static_cast<size_t>(n) > kMaxBuffered)
		if (int rc = flush(f); rc != SQLITE_OK)
			return rc;
	if (static_cast<size_t>(n) > kMaxBuffered)
		return m(f)->xWrite(f->real, data, n, off);
	if (f->buf.empty())
		f->buf_off = off;
	const char* c = static_cast<const char*>(data);
	f->buf.insert(f->buf.end(), c, c + n);
	return SQLITE_OK;
}
int x_truncate(sqlite3_file* p, sqlite3_int64 size) {
	File* f = of(p);
	if (int rc = flush(f); rc != SQLITE_OK)
		return rc;
	return m(f)->xTruncate(f->real, size);
}
int x_sync(sqlite3_file* p, int flags) {
	File* f = of(p);
	if (int rc = flush(f); rc != SQLITE_OK)
		return rc;
	return m(f)->xSync(f->real, flags);
}
int x_file_size(sqlite3_file* p, sqlite3_int64* size) {
	File* f = of(p);
	if (int rc = flush(f); rc != SQLITE_OK)
		return rc;
	return m(f)->xFileSize(f->real, size);
}
int x_lock(sqlite3_file* p, int level) {
	return m(of(p))->xLock(of(p)->real, level);
}
int x_unlock(sqlite3_file* p, int level) {
	return m(of(p))->xUnlock(of(p)->real, level);
}
int x_check_reserved(sqlite3_file* p, int* out) {
	return m(of(p))->xCheckReservedLock(of(p)->real, out);
}
// Gathered frames reach the file at the commit's sync; below FULL there is none, and another
// connection could see a commit whose frames are still in our buffer. So a connection opened
// through this VFS cannot lower synchronous (SQLite hands every PRAGMA to the main file first).
bool lowers_synchronous(void* arg) {
	char** a = static_cast<char**>(arg); // [0] error out, [1] name, [2] value or null
	if (!a[1] || !a[2] || sqlite3_stricmp(a[1], "synchronous") != 0)
		return false;
	for (const char* ok : {"full", "extra", "2", "3"})
		if (sqlite3_stricmp(a[2], ok) == 0)
			return false;
	return true;
}

int x_file_control(sqlite3_file* p, int op, void* arg) {
	File* f = of(p);
	if (op == SQLITE_FCNTL_PRAGMA && lowers_synchronous(arg)) {
		static_cast<char**>(arg)[0] =
		    sqlite3_mprintf("synchronous below FULL is refused: WAL writes are gathered until the sync");
		return SQLITE_ERROR;
	}
	if (int rc = flush(f); rc != SQLITE_OK)
		return rc;
	return m(f)->xFileControl(f->real, op, arg);
}
int x_sector_size(sqlite3_file* p) {
	return m(of(p))->xSectorSize(of(p)->real);
}
int x_device_characteristics(sqlite3_file* p) {
	return m(of(p))->xDeviceCharacteristics(of(p)->real);
}
int x_shm_map(sqlite3_file* p, int page, int size, int extend, void volatile** out) {
	File* f = of(p);
	if (m(f)->iVersion < 2 || !m(f)->xShmMap)
		return SQLITE_IOERR;
	return m(f)->xShmMap(f->real, page, size, extend, out);
}
int x_shm_lock(sqlite3_file* p, int offset, int n, int flags) {
	File* f = of(p);
	if (m(f)->iVersion < 2 || !m(f)->xShmLock)
		return SQLITE_IOERR;
	return m(f)->xShmLock(f->real, offset, n, flags);
}
void x_shm_barrier(sqlite3_file* p) {
	File* f = of(p);
	if (m(f)->iVersion >= 2 && m(f)->xShmBarrier)
		m(f)->xShmBarrier(f->real);
}
int x_shm_unmap(sqlite3_file* p, int del) {
	File* f = of(p);
	if (m(f)->iVersion < 2 || !m(f)->xShmUnmap)
		return SQLITE_OK;
	return m(f)->xShmUnmap(f->real, del);
}
int x_fetch(sqlite3_file* p, sqlite3_int64 off, int n, void** out) {
	File* f = of(p);
	*out = nullptr;
	if (m(f)->iVersion < 3 || !m(f)->xFetch)
		return SQLITE_OK; // no memory map: SQLite reads instead
	if (int rc = flush(f); rc != SQLITE_OK)
		return rc;
	return m(f)->xFetch(f->real, off, n, out);
}
int x_unfetch(sqlite3_file* p, sqlite3_int64 off, void* ptr) {
	File* f = of(p);
	if (m(f)->iVersion < 3 || !m(f)->xUnfetch)
		return SQLITE_OK;
	return m(f)->xUnfetch(f->real, off, ptr);
}

const sqlite3_io_methods kMethods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

sqlite3_vfs g_vfs{}; // registered once and never unregistered: SQLite keeps the pointer

sqlite3_vfs* real_vfs() {
	return sqlite3_vfs_find(nullptr);
}

int v_open(sqlite3_vfs*, const char* name, sqlite3_file* out, int flags, int* out_flags) {
	sqlite3_vfs* real = real_vfs();
	out->pMethods = nullptr; // SQLite closes only files whose open succeeded
	if (!real || real == &g_vfs || real->szOsFile > kRealRoom)
		return SQLITE_CANTOPEN;
	File* f = new (out) File;
	f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(out) + kRealOffset);
	f->gather = (flags & SQLITE_OPEN_WAL) != 0;
	int rc = real->xOpen(real, name, f->real, flags, out_flags);
	if (rc != SQLITE_OK || !f->real->pMethods) {
		if (f->real->pMethods)
			f->real->pMethods->xClose(f->real);
		f->~File();
		out->pMethods = nullptr;
		return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
	}
	f->base.pMethods = &kMethods;
	return SQLITE_OK;
}

void build() {
	sqlite3_vfs* real = real_vfs();
	g_vfs.iVersion = 2;
	g_vfs.szOsFile = static_cast<int>(kRealOffset) + kRealRoom;
	g_vfs.mxPathname = real ? real->mxPathname : 512;
	g_vfs.zName = "serversan-wal-gather";
	g_vfs.xOpen = v_open;
	g_vfs.xDelete = [](sqlite3_vfs*, const char* p, int sync_dir) {
		return real_vfs()->xDelete(real_vfs(), p, sync_dir);
	};
	g_vfs.xAccess = [](sqlite3_vfs*, const char* p, int flags, int* out) {
		return real_vfs()->xAccess(real_vfs(), p, flags, out);
	};
	g_vfs.xFullPathname = [](sqlite3_vfs*, const char* p, int n, char* out) {
		return real_vfs()->xFullPathname(real_vfs(), p, n, out);
	};
	g_vfs.xDlOpen = [](sqlite3_vfs*, const char* p) { return real_vfs()->xDlOpen(real_vfs(), p); };
	g_vfs.xDlError = [](sqlite3_vfs*, int n, char* out) { real_vfs()->xDlError(real_vfs(), n, out); };
	g_vfs.xDlSym = [](sqlite3_vfs*, void* h, const char* sym) {
		return real_vfs()->xDlSym(real_vfs(), h, sym);
	};
	g_vfs.xDlClose = [](sqlite3_vfs*, void* h) { real_vfs()->xDlClose(real_vfs(), h); };
	g_vfs.xRandomness = [](sqlite3_vfs*, int n, char* out) {
		return real_vfs()->xRandomness(real_vfs(), n, out);
	};
	g_vfs.xSleep = [](sqlite3_vfs*, int us) { return real_vfs()->xSleep(real_vfs(), us); };
	g_vfs.xCurrentTime = [](sqlite3_vfs*, double* out) { return real_vfs()->xCurrentTime(real_vfs(), out); };
	g_vfs.xGetLastError = [](sqlite3_vfs*, int n, char* out) {
		return real_vfs()->xGetLastError(real_vfs(), n, out);
	};
	g_vfs.xCurrentTimeInt64 = [](sqlite3_vfs*, sqlite3_int64* out) {
		sqlite3_vfs* r = real_vfs();
		if (r->iVersion >= 2 && r->xCurrentTimeInt64)
			return r->xCurrentTimeInt64(r, out);
		double days = 0;
		int rc = r->xCurrentTime(r, &days);
		*out = static_cast<sqlite3_int64>(days * 86'400'000.0);
		return rc;
	};
}

} // namespace

const char* wal_gathering_vfs() {
	static std::once_flag once;
	std::call_once(once, [] {
		build();
		sqlite3_vfs_register(&g_vfs, 0);
	});
	return g_vfs.zName;
}

} // namespace serversan::store::sqlite
