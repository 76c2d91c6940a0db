#include "serversan/agent/collectors/filesystems.h"

#include <algorithm>
#include <map>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "serversan/agent/collectors/text.h"

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

bool is_pseudo_filesystem(std::string_view type) {
	static constexpr std::string_view pseudo[] = {
	    "autofs",      "binfmt_misc",   "bpf",      "cgroup",   "cgroup2",    "configfs",   "debugfs",
	    "devfs",       "devpts",        "devtmpfs", "efivarfs", "fusectl",    "hugetlbfs",  "mqueue",
	    "nsfs",        "proc",          "pstore",   "ramfs",    "rpc_pipefs", "securityfs", "selinuxfs",
	    "squashfs",    "sysfs",         "tmpfs",    "tracefs",  "nfsd",       "fuse.lxcfs", "fuse.gvfsd-fuse",
	    "fuse.portal", "fuse.snapfuse",
	};
	return std::find(std::begin(pseudo), std::end(pseudo), type) != std::end(pseudo);
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

Result<std::vector<Filesystem>> collect_filesystems(const HostPaths& paths, const StatFs& statfs) {
	auto text = read_text_file(join_path(paths.proc, "self/mounts"), 4 << 20);
	if (!text)
		return text.error();

	// device id -> index into out; the shortest mount point of a filesystem wins.
	std::map<uint64_t, size_t> seen;
	std::vector<Filesystem> out;
	for (const MountEntry& m : parse_mounts(*text)) {
		if (is_pseudo_filesystem(m.type) || m.mount.empty() || m.mount.front() != '/')
			continue;
		std::string path = paths.root == "/" ? m.mount : join_path(paths.root, m.mount);
		auto st = statfs(path);
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
		if (auto it = seen.find(st->device_id); it != seen.end()) {
			if (fs.mount.size() < out[it->second].mount.size())
				out[it->second] = std::move(fs);
		} else if (out.size() < kMaxFilesystems) {
			seen.emplace(st->device_id, out.size());
			out.push_back(std::move(fs));
		}
	}
	return out;
}

} // namespace serversan::agent
