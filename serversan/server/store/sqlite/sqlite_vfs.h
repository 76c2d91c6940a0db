// A VFS shim that gathers the write-ahead log's writes into few system calls.
//
// SQLite appends a WAL frame as two writes, a 24-byte header and then the page, so a group commit
// of 100 pages costs 200 pwrite calls, each paying the system call and the file system's
// per-write work (ext4's write_begin/write_end on the page the header shares with the frame
// before it). Here contiguous writes to a WAL file are kept in a buffer and reach the file as one
// write when anything else happens to it: a sync, a read, a size query or truncation, a file
// control, closing, a write elsewhere, or the buffer filling (64 KiB: unix's VFS writes at most 128 KiB at
// once). Files other than WALs pass straight through.
//
// Durability is unchanged: every byte is in the file before the sync that makes a commit durable
// returns. Visibility needs that sync too: another connection may read frames as soon as the
// commit's wal-index update is seen, and with synchronous=FULL the sync comes before that update.
// So a connection opened through this VFS cannot set synchronous below FULL: the PRAGMA fails
// with an error (the compiled-in default is FULL in Debian's SQLite, and the store's writer sets
// FULL itself).
//
// The shim forwards to whatever VFS is the default when a file is opened (tests put a recording
// VFS there).
#pragma once

namespace serversan::store::sqlite {

// Registers the shim (once; not as the default) and returns its name for sqlite3_open_v2.
const char* wal_gathering_vfs();

} // namespace serversan::store::sqlite
