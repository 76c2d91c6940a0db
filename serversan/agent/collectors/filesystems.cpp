#include "serversan/agent/collectors/filesystems.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "serversan/agent/collectors/text.h"
#include "serversan/core/log.h"

namespace serversan::agent {

namespace {

std::string unescape_mount_field(std::string_view s) {
	std::string out;
	out.reserve(s.size());
	for (size_t i = 0; i < s.size(); ++i) {
		auto oct = [&](size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '7'; };
		if (s[i] == '\\' && oct(i + 1) && oct(i + 2) && oct(i + 3)) {
			out.push_back(static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
			i += 3;
			continue;
		}
		out.push_back(s[i]);
	}
	return out;
}

bool mul_ok(uint64_t a, uint64_t b, uint64_t& out) {
	return !__builtin_mul_overflow(a, b, &out);
}

} // namespace

std::vector<MountEntry> parse_mounts(std::string_view text) {
	std::vector<MountEntry> out;
	for_each_line(text, [&](std::string_view line) {
		auto f = split_ws(line);
		if (f.size() < 3)
			return;
		out.push_back({unescape_mount_field(f[0]), unescape_mount_field(f[1]), std::string(f[2])});
	});
	return out;
}

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
	std::vector<MountEntry> out;
	while (!text.empty()) {
		std::string_view rest = next_line(text);
		// id parent major:minor root mount options [optional...] - type source super-options
		std::string_view id = next_field(rest), parent = next_field(rest), devno = next_field(rest);
		std::string_view root = next_field(rest), mount = next_field(rest);
		next_field(rest); // options
		std::string_view f = next_field(rest);
		while (!f.empty() && f != "-")
			f = next_field(rest);
		std::string_view type = next_field(rest), source = next_field(rest);
		if (f != "-" || type.empty() || mount.empty() || !to_u64(id) || !to_u64(parent))
			continue;
		MountEntry e;
		e.device = unescape_mount_field(source);
		e.mount = unescape_mount_field(mount);
		e.type = type;
		e.root = unescape_mount_field(root);
		size_t colon = devno.find(':');
		if (colon != std::string_view::npos) {
			auto major = to_u64(devno.substr(0, colon)), minor = to_u64(devno.substr(colon + 1));
			if (major && minor && *major <= UINT32_MAX && *minor <= UINT32_MAX)
				e.device_id = (*major << 32) | *minor;
		}
		out.push_back(std::move(e));
	}
	return out;
}

bool is_pseudo_filesystem(std::string_view type) {
	static constexpr std::string_view pseudo[] = {
	    "autofs",
	    "binfmt_misc",
	    "bpf",
	    "cgroup",
	    "cgroup2",
	    "configfs",
	    "debugfs",
	    "devfs",
	    "devpts",
	    "devtmpfs",
	    "efivarfs",
	    "fusectl",
	    "hugetlbfs",
	    "mqueue",
	    "nsfs",
	    "proc",
	    "pstore",
	    "ramfs",
	    "rpc_pipefs",
	    "securityfs",
	    "selinuxfs",
	    "squashfs",
	    "sysfs",
	    "tmpfs",
	    "tracefs",
	    "nfsd",
	    "fuse.lxcfs",
	    "fuse.gvfsd-fuse",
	    "fuse.portal",
	    "fuse.snapfuse",
	    "usbfs",
	    "cpuset",
	    "fuse.gvfs-fuse-daemon",
	};
	return std::find(std::begin(pseudo), std::end(pseudo), type) != std::end(pseudo);
}

bool is_network_filesystem(std::string_view type) {
	// Served by another host (or a cluster's lock manager: gfs2, ocfs2): statvfs waits for it.
	static constexpr std::string_view network[] = {
	    "9p",     "afs", "beegfs", "ceph", "cifs", "coda",  "davfs",    "gfs2", "glusterfs", "gpfs",
	    "lustre", "ncp", "ncpfs",  "nfs",  "nfs4", "ocfs2", "orangefs", "smb3", "smbfs",
	};
	// Every FUSE filesystem is served by a user-space daemon (sshfs, s3fs, rclone, ceph-fuse,
	// glusterfs, gcsfuse, ...), most of them over the network, and statvfs waits for that daemon
	// as it would for a server. fuseblk (ntfs-3g, exfat on a local disk) is left inline.
	if (type == "fuse" || type.starts_with("fuse."))
		return true;
	return std::find(std::begin(network), std::end(network), type) != std::end(network);
}

std::optional<FsStat> stat_filesystem(const std::string& path) {
	struct stat st {};
	struct statvfs vfs {};
	if (::stat(path.c_str(), &st) != 0 || ::statvfs(path.c_str(), &vfs) != 0)
		return std::nullopt;
	FsStat s;
	s.device_id = st.st_dev;
	s.block_size = vfs.f_frsize ? vfs.f_frsize : vfs.f_bsize;
	s.blocks = vfs.f_blocks;
	s.blocks_free = vfs.f_bfree;
	s.blocks_avail = vfs.f_bavail;
	s.files = vfs.f_files;
	s.files_free = vfs.f_ffree;
	return s;
}

FilesystemCollector::FilesystemCollector(const HostPaths& paths, StatFs statfs,
                                         std::chrono::milliseconds network_timeout)
    : paths_(paths), statfs_(std::move(statfs)), mountinfo_(join_path(paths.proc, "self/mountinfo")),
      mounts_(join_path(paths.proc, "self/mounts")), network_timeout_(network_timeout) {
	// Under another root (an agent in a container reading the host under /host), the host's
	// mount table is its init's, as node_exporter reads it with --path.rootfs; the agent's own
	// ("self") would list the container's mounts.
	if (paths.root != "/") {
		ProcFile host_table(join_path(paths.proc, "1/mountinfo"));
		if (host_table.read(1 << 20))
			mountinfo_ = std::move(host_table);
	}
}

Result<void> FilesystemCollector::load_table() {
	std::vector<MountEntry> table;
	if (use_mountinfo_) {
		auto text = mountinfo_.read(16 << 20);
		if (text)
			table = parse_mountinfo(*text);
		else
			use_mountinfo_ = false;
	}
	if (!use_mountinfo_) {
		auto text = mounts_.read(16 << 20);
		if (!text)
			return text.error();
		table = parse_mounts(*text);
	}

	candidates_.clear();
	for (MountEntry& m : table) {
		if (is_pseudo_filesystem(m.type) || m.mount.empty() || m.mount.front() != '/')
			continue;
		if (m.type == "overlay" && m.mount != "/")
			continue;
		std::string path = paths_.root == "/" ? m.mount : join_path(paths_.root, m.mount);
		candidates_.push_back({std::move(m), std::move(path)});
	}
	// Per device, the preferred mount first: the one of the filesystem's own root, then the
	// shortest path; devices in the order of their first mount. Unknown ids (mounts) keep order.
	std::vector<std::pair<uint64_t, size_t>> first_seen;
	for (size_t i = 0; i < candidates_.size(); ++i) {
		const auto& id = candidates_[i].mount.device_id;
		if (id &&
		    std::none_of(first_seen.begin(), first_seen.end(), [&](const auto& p) { return p.first == *id; }))
			first_seen.emplace_back(*id, i);
	}
	auto rank = [&](const Candidate& c) -> size_t {
		if (!c.mount.device_id)
			return static_cast<size_t>(&c - candidates_.data());
		for (const auto& [id, at] : first_seen) {
			if (id == *c.mount.device_id)
				return at;
		}
		return 0;
	};
	std::vector<std::pair<size_t, size_t>> keys; // (rank, index)
	for (size_t i = 0; i < candidates_.size(); ++i)
		keys.emplace_back(rank(candidates_[i]), i);
	std::stable_sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
		if (a.first != b.first)
			return a.first < b.first;
		const MountEntry& x = candidates_[a.second].mount;
		const MountEntry& y = candidates_[b.second].mount;
		if ((x.root == "/") != (y.root == "/"))
			return x.root == "/";
		return x.mount.size() < y.mount.size();
	});
	std::vector<Candidate> sorted;
	sorted.reserve(candidates_.size());
	for (const auto& k : keys)
		sorted.push_back(std::move(candidates_[k.second]));
	candidates_ = std::move(sorted);
	have_table_ = true;
	return Ok();
}

namespace {

// What the child writes back: one write of less than PIPE_BUF bytes, so it arrives whole or not.
struct NetworkReply {
	bool ok = false;
	FsStat stat;
};

// Waits up to `timeout` for the reply on fd. nullopt: no reply in time. A reply with ok=false:
// the child answered "cannot stat", or died without answering (EOF).
std::optional<NetworkReply> wait_reply(int fd, std::chrono::milliseconds timeout) {
	auto deadline = std::chrono::steady_clock::now() + timeout;
	for (;;) {
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
		                                                                  std::chrono::steady_clock::now());
		pollfd p{fd, POLLIN, 0};
		int n = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return std::nullopt;
		NetworkReply r;
		ssize_t got = ::read(fd, &r, sizeof r);
		if (got < 0 && errno == EINTR)
			continue;
		if (got != static_cast<ssize_t>(sizeof r))
			return NetworkReply{};
		return r;
	}
}

} // namespace

// A child process per call (fork), not a thread: the static agent is single-threaded, and the
// threading runtime would cost 20 kB of its 2 MB budget where fork costs 4 kB. A child blocked
// on a dead server holds no lock and no memory of ours that we need (copy-on-write), and it is
// not waited for beyond the time-out. Network mounts are few, so a fork per network mount and
// round (about 0.2 ms) is cheap, and a host without them forks nothing.
bool FilesystemCollector::stat_network(const Candidate& c, std::optional<FsStat>& out) {
	out.reset();
	int fds[2];
	if (::pipe2(fds, O_CLOEXEC) != 0) {
		log::warn("filesystems: cannot stat {} ({}): pipe: {}", c.mount.mount, c.mount.type,
		          std::strerror(errno));
		return true;
	}
	pid_t pid = ::fork();
	if (pid < 0) {
		log::warn("filesystems: cannot stat {} ({}): fork: {}", c.mount.mount, c.mount.type,
		          std::strerror(errno));
		::close(fds[0]);
		::close(fds[1]);
		return true;
	}
	if (pid == 0) {
		// The child: default signal handling (a service manager's SIGTERM must end it, not
		// reach the agent's handlers), one stat, one write, _exit without running anything of
		// the agent's (no atexit, no stdio flush).
		::signal(SIGTERM, SIG_DFL);
		::signal(SIGINT, SIG_DFL);
		::signal(SIGHUP, SIG_DFL);
		::close(fds[0]);
		NetworkReply r;
		if (auto st = statfs_(c.path)) {
			r.ok = true;
			r.stat = *st;
		}
		ssize_t ignored = ::write(fds[1], &r, sizeof r);
		(void)ignored;
		::_exit(0);
	}
	::close(fds[1]);
	auto reply = wait_reply(fds[0], network_timeout_);
	if (reply) {
		::close(fds[0]);
		while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
		}
		if (reply->ok)
			out = reply->stat;
		return true;
	}
	log::warn("filesystems: statfs of {} ({}) did not return within {} ms; left out until it does",
	          c.mount.mount, c.mount.type, network_timeout_.count());
	stuck_.push_back({c.path, c.mount.mount, c.mount.type, pid, fds[0]});
	return false;
}

FilesystemCollector::~FilesystemCollector() {
	// Blocked children are told to go (NFS waits are killable) and reaped if already gone.
	for (const Stuck& s : stuck_) {
		::kill(s.pid, SIGKILL);
		::waitpid(s.pid, nullptr, WNOHANG);
		::close(s.fd);
	}
}

Result<void> FilesystemCollector::collect(std::vector<Filesystem>& out) {
	// A stuck call that has returned frees its mount for this round's stat.
	std::erase_if(stuck_, [](const Stuck& s) {
		pid_t r = ::waitpid(s.pid, nullptr, WNOHANG);
		if (r == 0)
			return false;
		::close(s.fd);
		log::info("filesystems: statfs of {} ({}) returned; reported again", s.mount, s.type);
		return true;
	});

	out.clear();
	bool changed = use_mountinfo_ ? mountinfo_.changed() : mounts_.changed();
	if (!have_table_ || changed) {
		if (auto loaded = load_table(); !loaded) {
			have_table_ = false;
			return loaded;
		}
	}
	// device id -> index into out, for mounts whose id only statfs can tell (no mountinfo); the
	// shortest mount point of a filesystem wins there.
	done_.clear();
	std::vector<std::pair<uint64_t, size_t>> seen;
	for (const Candidate& c : candidates_) {
		const MountEntry& m = c.mount;
		if (m.device_id && std::find(done_.begin(), done_.end(), *m.device_id) != done_.end())
			continue;
		std::optional<FsStat> st;
		if (!is_network_filesystem(m.type)) {
			st = statfs_(c.path);
		} else if (std::any_of(stuck_.begin(), stuck_.end(),
		                       [&](const Stuck& s) { return s.path == c.path; }) ||
		           !stat_network(c, st)) {
			// Stuck: its bind mounts (same device) would block the same way, so skip them too.
			if (m.device_id)
				done_.push_back(*m.device_id);
			continue;
		}
		if (!st || st->blocks == 0 || st->block_size == 0)
			continue;
		Filesystem fs;
		fs.mount = m.mount;
		fs.device = m.device;
		fs.type = m.type;
		uint64_t total = 0, free_all = 0, avail = 0;
		if (mul_ok(st->blocks, st->block_size, total) && mul_ok(st->blocks_free, st->block_size, free_all) &&
		    mul_ok(st->blocks_avail, st->block_size, avail) && free_all <= total && avail <= total) {
			fs.total = total;
			fs.used = total - free_all;
			fs.free = avail;
		}
		if (st->files > 0 && st->files_free <= st->files) {
			fs.inodes_total = st->files;
			fs.inodes_used = st->files - st->files_free;
		}
		if (m.device_id) {
			done_.push_back(*m.device_id);
			if (out.size() < kMaxFilesystems)
				out.push_back(std::move(fs));
			continue;
		}
		auto it =
		    std::find_if(seen.begin(), seen.end(), [&](const auto& p) { return p.first == st->device_id; });
		if (it != seen.end()) {
			if (fs.mount.size() < out[it->second].mount.size())
				out[it->second] = std::move(fs);
		} else if (out.size() < kMaxFilesystems) {
			seen.emplace_back(st->device_id, out.size());
			out.push_back(std::move(fs));
		}
	}
	return Ok();
}

Result<std::vector<Filesystem>> collect_filesystems(const HostPaths& paths, const StatFs& statfs) {
	FilesystemCollector collector(paths, statfs);
	std::vector<Filesystem> out;
	if (auto r = collector.collect(out); !r)
		return r.error();
	return out;
}

} // namespace serversan::agent
