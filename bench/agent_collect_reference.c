/* agent_collect_reference: the floor for serversan-agent's collection (issue 11), in plain C with
 * no library: it reads exactly what the agent reads, the cheap way (files kept open and re-read
 * with pread, one static buffer, no allocation), and parses the same values with strtoull.
 *
 * Every-collection set: /proc/stat, loadavg, the process count (a stat of /proc: st_nlink is a
 * constant plus the number of processes, the constant learnt by one getdents64 listing), meminfo,
 * uptime, /proc/self/mountinfo (parsed again only after POLLPRI) with stat + statvfs of each real
 * filesystem, diskstats, net/dev, net/if_inet6, an RTM_GETADDR netlink dump (IPv4), net/snmp,
 * net/sockstat, net/sockstat6, sys/fs/file-nr, utmp (open/read/close; the logind directory when
 * there is none), the hwmon/thermal temperature files and uname(2).
 * Slow set: the per-process pass (every /proc/PID/stat, then /proc/PID/status of the top 20, and
 * a stat of /etc/passwd) and the TCP by-state count through two NETLINK_SOCK_DIAG dumps.
 *
 * Standalone: agent_collect_reference [every|slow|process|tcp] [iterations]
 * prints CPU microseconds (getrusage, user + system) per iteration. bench_agent_collect links the
 * same functions (built with AGENT_COLLECT_REFERENCE_NO_MAIN) to print them beside the agent's.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

/* The interface bench_agent_collect declares (extern "C"). */
void reference_init(void);
void reference_collect_every(void);
int reference_process_pass(void);
void reference_tcp_states(void);
int reference_collect_slow(void);

static char buf[4 << 20];
static uint64_t sink; /* keeps the parsed values alive */

struct kfile {
	const char* path;
	int fd;
};

static long kread(struct kfile* f) {
	if (f->fd < 0) {
		f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
		if (f->fd < 0)
			return -1;
	}
	long len = 0;
	for (;;) {
		/* Page-sized requests: sysctl files (file-nr) make the kernel allocate and zero a buffer
		 * as large as the request, 124 us for a 4 MiB one. */
		size_t want = sizeof buf - 1 - (size_t)len;
		ssize_t n = pread(f->fd, buf + len, want < 4096 ? want : 4096, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(f->fd);
			f->fd = -1;
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = 0;
	return len;
}

/* Sums the numbers of each line after its first field: the shape of stat, diskstats, net/dev. */
static void sum_numbers(const char* p) {
	while (*p) {
		const char* end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		while (p < end && *p != ' ' && *p != ':')
			++p;
		while (p < end) {
			char* next;
			uint64_t v = strtoull(p, &next, 10);
			if (next == p) {
				++p;
				continue;
			}
			sink += v;
			p = next;
		}
		p = *end ? end + 1 : end;
	}
}

/* The value after "key" in text (meminfo, sockstat): one strstr per key. */
static void key_value(const char* text, const char* key) {
	const char* at = strstr(text, key);
	if (at)
		sink += strtoull(at + strlen(key), NULL, 10);
}

/* ---- every-collection set ---- */

static struct kfile f_stat = {"/proc/stat", -1}, f_loadavg = {"/proc/loadavg", -1},
                    f_meminfo = {"/proc/meminfo", -1}, f_uptime = {"/proc/uptime", -1},
                    f_mountinfo = {"/proc/self/mountinfo", -1}, f_diskstats = {"/proc/diskstats", -1},
                    f_netdev = {"/proc/net/dev", -1}, f_inet6 = {"/proc/net/if_inet6", -1},
                    f_snmp = {"/proc/net/snmp", -1}, f_sockstat = {"/proc/net/sockstat", -1},
                    f_sockstat6 = {"/proc/net/sockstat6", -1}, f_filenr = {"/proc/sys/fs/file-nr", -1};

static int proc_fd = -1;
static char dents[64 << 10];
static uint32_t pids[1 << 16];
static int npids;

static void list_pids(void) {
	npids = 0;
	if (proc_fd < 0)
		proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	else
		lseek(proc_fd, 0, SEEK_SET);
	if (proc_fd < 0)
		return;
	for (;;) {
		long n = syscall(SYS_getdents64, proc_fd, dents, sizeof dents);
		if (n <= 0)
			break;
		for (long pos = 0; pos < n;) {
			unsigned short reclen;
			memcpy(&reclen, dents + pos + 16, 2);
			const char* name = dents + pos + 19;
			if (name[0] >= '1' && name[0] <= '9' && npids < (int)(sizeof pids / sizeof pids[0]))
				pids[npids++] = (uint32_t)strtoul(name, NULL, 10);
			pos += reclen;
		}
	}
}

static long proc_offset = -1;

static void calibrate_process_count(void) {
	struct stat a, b;
	if (stat("/proc", &a) != 0)
		return;
	list_pids();
	if (stat("/proc", &b) == 0 && a.st_nlink == b.st_nlink)
		proc_offset = (long)a.st_nlink - npids;
	sink += (uint64_t)npids;
}

#define MAX_MOUNTS 256
static char mount_path[MAX_MOUNTS][512];
static int nmounts, have_mounts;

static int pseudo(const char* type) {
	static const char* const list[] = {"autofs",
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
	                                   "usbfs",
	                                   "cpuset",
	                                   "fuse.snapfuse",
	                                   "fuse.portal",
	                                   "fuse.gvfsd-fuse",
	                                   "fuse.gvfs-fuse-daemon",
	                                   NULL};
	for (int i = 0; list[i]; ++i)
		if (strcmp(list[i], type) == 0)
			return 1;
	return 0;
}

static void load_mounts(void) {
	static char devs[MAX_MOUNTS][32];
	nmounts = 0;
	if (kread(&f_mountinfo) < 0)
		return;
	char* save = NULL;
	for (char* line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char dev[32], root[512], mnt[512], type[64];
		char* dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*d %*d %31s %511s %511s", dev, root, mnt) != 3 ||
		    sscanf(dash + 3, "%63s", type) != 1)
			continue;
		if (pseudo(type) || (strcmp(type, "overlay") == 0 && strcmp(mnt, "/") != 0))
			continue;
		int dup = 0;
		for (int i = 0; i < nmounts; ++i)
			if (strcmp(devs[i], dev) == 0)
				dup = 1;
		if (dup || nmounts == MAX_MOUNTS)
			continue;
		strcpy(devs[nmounts], dev);
		strcpy(mount_path[nmounts++], mnt);
	}
	have_mounts = 1;
}

static void filesystems(void) {
	struct pollfd p = {f_mountinfo.fd, POLLPRI, 0};
	if (!have_mounts || f_mountinfo.fd < 0 || (poll(&p, 1, 0) > 0 && (p.revents & (POLLPRI | POLLERR))))
		load_mounts();
	for (int i = 0; i < nmounts; ++i) {
		struct stat st;
		struct statvfs vfs;
		if (stat(mount_path[i], &st) == 0 && statvfs(mount_path[i], &vfs) == 0)
			sink += vfs.f_blocks + vfs.f_bfree + vfs.f_bavail + vfs.f_files + vfs.f_ffree + st.st_dev;
	}
}

static int route_fd = -1, diag_fd = -1;
static uint32_t nl_seq;
static char nlbuf[64 << 10];

/* Sends a dump request and walks the answer; on_msg gets each data message. */
static int nl_dump(int* fd, int protocol, uint16_t type, const void* req, size_t len,
                   void (*on_msg)(const struct nlmsghdr*)) {
	if (*fd < 0) {
		*fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
		if (*fd < 0)
			return -1;
	}
	char out[256];
	struct nlmsghdr* h = (struct nlmsghdr*)out;
	memset(out, 0, sizeof out);
	h->nlmsg_len = (uint32_t)(NLMSG_HDRLEN + len);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = ++nl_seq;
	memcpy(out + NLMSG_HDRLEN, req, len);
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	if (sendto(*fd, out, h->nlmsg_len, 0, (struct sockaddr*)&kernel, sizeof kernel) < 0)
		return -1;
	for (;;) {
		ssize_t n = recv(*fd, nlbuf, sizeof nlbuf, 0);
		if (n <= 0)
			return -1;
		for (struct nlmsghdr* m = (struct nlmsghdr*)nlbuf; NLMSG_OK(m, (size_t)n); m = NLMSG_NEXT(m, n)) {
			if (m->nlmsg_seq != nl_seq)
				continue;
			if (m->nlmsg_type == NLMSG_DONE)
				return 0;
			if (m->nlmsg_type == NLMSG_ERROR)
				return -1;
			on_msg(m);
		}
	}
}

static void on_addr(const struct nlmsghdr* m) {
	struct ifaddrmsg* ifa = NLMSG_DATA(m);
	int len = (int)IFA_PAYLOAD(m);
	for (struct rtattr* a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFA_LOCAL || a->rta_type == IFA_LABEL)
			sink += a->rta_len;
}

static void ipv4_addresses(void) {
	struct ifaddrmsg req = {.ifa_family = AF_INET};
	nl_dump(&route_fd, NETLINK_ROUTE, RTM_GETADDR, &req, sizeof req, on_addr);
}

static void sessions(void) {
	static const char* const utmp[] = {"/run/utmp", "/var/run/utmp"};
	for (int i = 0; i < 2; ++i) {
		int fd = open(utmp[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, buf, sizeof buf);
		close(fd);
		for (ssize_t pos = 0; pos + 384 <= n; pos += 384)
			sink += buf[pos] == 7 && buf[pos + 44] != 0;
		return;
	}
	DIR* d = opendir("/run/systemd/sessions");
	if (!d)
		return;
	struct dirent* e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strstr(e->d_name, ".ref"))
			continue;
		char path[300];
		snprintf(path, sizeof path, "/run/systemd/sessions/%s", e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		sink += strstr(buf, "CLASS=user") != NULL;
	}
	closedir(d);
}

#define MAX_SENSORS 256
static struct kfile sensors[MAX_SENSORS];
static char sensor_paths[MAX_SENSORS][600];
static int nsensors;

static void discover_sensors(void) {
	nsensors = 0;
	DIR* d = opendir("/sys/class/hwmon");
	struct dirent* e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char dir[300];
		snprintf(dir, sizeof dir, "/sys/class/hwmon/%s", e->d_name);
		DIR* h = opendir(dir);
		struct dirent* f;
		while (h && (f = readdir(h)) != NULL) {
			size_t l = strlen(f->d_name);
			if (strncmp(f->d_name, "temp", 4) == 0 && l > 10 && strcmp(f->d_name + l - 6, "_input") == 0 &&
			    nsensors < MAX_SENSORS) {
				snprintf(sensor_paths[nsensors], sizeof sensor_paths[0], "%s/%s", dir, f->d_name);
				sensors[nsensors].path = sensor_paths[nsensors];
				sensors[nsensors++].fd = -1;
			}
		}
		if (h)
			closedir(h);
	}
	if (d)
		closedir(d);
	if (nsensors == 0) {
		d = opendir("/sys/class/thermal");
		while (d && (e = readdir(d)) != NULL) {
			if (strncmp(e->d_name, "thermal_zone", 12) != 0 || nsensors == MAX_SENSORS)
				continue;
			snprintf(sensor_paths[nsensors], sizeof sensor_paths[0], "/sys/class/thermal/%s/temp", e->d_name);
			sensors[nsensors].path = sensor_paths[nsensors];
			sensors[nsensors++].fd = -1;
		}
		if (d)
			closedir(d);
	}
}

void reference_init(void) {
	discover_sensors();
}

void reference_collect_every(void) {
	if (kread(&f_stat) > 0)
		sum_numbers(buf);
	if (kread(&f_loadavg) > 0)
		sink += strtoull(buf, NULL, 10);
	/* The process count: st_nlink of /proc is a constant plus the number of processes; the
	 * constant is learnt from a listing (here and in each per-process pass). */
	struct stat proc_st;
	if (proc_offset < 0 || stat("/proc", &proc_st) != 0) {
		calibrate_process_count();
	} else {
		sink += (uint64_t)((long)proc_st.st_nlink - proc_offset);
	}
	if (kread(&f_meminfo) > 0) {
		static const char* const keys[] = {"MemTotal:", "MemFree:",      "MemAvailable:", "Buffers:",
		                                   "Cached:",   "SReclaimable:", "SwapTotal:",    "SwapFree:"};
		for (int i = 0; i < 8; ++i)
			key_value(buf, keys[i]);
	}
	if (kread(&f_uptime) > 0)
		sink += strtoull(buf, NULL, 10);
	filesystems();
	if (kread(&f_diskstats) > 0)
		sum_numbers(buf);
	if (kread(&f_netdev) > 0)
		sum_numbers(buf);
	if (kread(&f_inet6) > 0)
		sink += (uint64_t)strlen(buf);
	ipv4_addresses();
	if (kread(&f_snmp) > 0)
		key_value(buf, "\nTcp: ");
	if (kread(&f_sockstat) > 0) {
		key_value(buf, "TCP: inuse ");
		key_value(buf, "orphan ");
		key_value(buf, "tw ");
		key_value(buf, "UDP: inuse ");
	}
	if (kread(&f_sockstat6) > 0) {
		key_value(buf, "TCP6: inuse ");
		key_value(buf, "UDP6: inuse ");
	}
	if (kread(&f_filenr) > 0)
		sum_numbers(buf);
	sessions();
	for (int i = 0; i < nsensors; ++i)
		if (kread(&sensors[i]) > 0)
			sink += strtoull(buf, NULL, 10);
	struct utsname u;
	uname(&u);
	sink += (uint64_t)u.release[0];
}

/* ---- slow set ---- */

struct proc_sample {
	uint32_t pid;
	uint64_t ticks, start, rss, threads, delta;
	char state;
	char comm[16];
};
static struct proc_sample samples[2][1 << 16];
static struct proc_sample *procs = samples[0], *prev = samples[1];
static int nprocs, nprev;
static long passwd_mtime = -1;

static void read_status(uint32_t pid) {
	char path[48];
	snprintf(path, sizeof path, "%u/status", pid);
	int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, 4096);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	const char* uid = strstr(buf, "\nUid:");
	if (uid)
		sink += strtoull(uid + 5, NULL, 10);
}

int reference_process_pass(void) {
	list_pids();
	proc_offset = -1; /* the next every-collection count learns the constant again */
	nprocs = 0;
	char path[32], line[1024];
	for (int i = 0; i < npids; ++i) {
		snprintf(path, sizeof path, "%u/stat", pids[i]);
		int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, line, sizeof line - 1);
		close(fd);
		if (n <= 0)
			continue;
		line[n] = 0;
		char* open_paren = strchr(line, '(');
		char* close_paren = strrchr(line, ')');
		if (!open_paren || !close_paren)
			continue;
		struct proc_sample* p = &procs[nprocs++];
		p->pid = pids[i];
		size_t comm = (size_t)(close_paren - open_paren - 1);
		memcpy(p->comm, open_paren + 1, comm < 15 ? comm : 15);
		char* f = close_paren + 2;
		p->state = *f;
		uint64_t v[22];
		for (int k = 0; k < 21; ++k) /* fields 4..24 */
			v[k] = strtoull(f + 1, &f, 10);
		p->ticks = v[10] + v[11];
		p->threads = v[16];
		p->start = v[18];
		p->rss = v[20];
	}
	/* CPU ticks since the previous pass: both lists are in pid order. */
	for (int i = 0, j = 0; i < nprocs; ++i) {
		while (j < nprev && prev[j].pid < procs[i].pid)
			++j;
		int same = j < nprev && prev[j].pid == procs[i].pid && prev[j].start == procs[i].start;
		procs[i].delta =
		    same && procs[i].ticks >= prev[j].ticks ? procs[i].ticks - prev[j].ticks : procs[i].ticks;
		sink += procs[i].state == 'Z';
	}
	/* Top 10 by CPU and by RSS: selection over the samples, then the status of each chosen one. */
	for (int list = 0; list < 2; ++list) {
		uint32_t chosen[10];
		int nchosen = 0;
		for (int k = 0; k < 10 && k < nprocs; ++k) {
			int best = -1;
			for (int i = 0; i < nprocs; ++i) {
				int taken = 0;
				for (int j = 0; j < nchosen; ++j)
					taken |= chosen[j] == procs[i].pid;
				if (taken)
					continue;
				uint64_t key = list ? procs[i].rss : procs[i].delta;
				if (best < 0 || key > (list ? procs[best].rss : procs[best].delta))
					best = i;
			}
			chosen[nchosen++] = procs[best].pid;
			read_status(procs[best].pid);
		}
	}
	struct stat st;
	if (stat("/etc/passwd", &st) == 0 && st.st_mtime != passwd_mtime)
		passwd_mtime = st.st_mtime;
	struct proc_sample* t = prev;
	prev = procs;
	procs = t;
	nprev = nprocs;
	return nprocs;
}

static uint64_t tcp_states[16];
static void on_diag(const struct nlmsghdr* m) {
	const struct inet_diag_msg* d = NLMSG_DATA(m);
	tcp_states[d->idiag_state & 15]++;
}

void reference_tcp_states(void) {
	memset(tcp_states, 0, sizeof tcp_states);
	for (int i = 0; i < 2; ++i) {
		struct inet_diag_req_v2 req = {
		    .sdiag_family = i ? AF_INET6 : AF_INET, .sdiag_protocol = IPPROTO_TCP, .idiag_states = 0xfff};
		nl_dump(&diag_fd, NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY, &req, sizeof req, on_diag);
	}
	sink += tcp_states[10];
}

int reference_collect_slow(void) {
	int n = reference_process_pass();
	reference_tcp_states();
	return n;
}

#ifndef AGENT_COLLECT_REFERENCE_NO_MAIN
static double cpu_us(void) {
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 +
	       (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

int main(int argc, char** argv) {
	const char* what = argc > 1 ? argv[1] : "every";
	int iterations = argc > 2 ? atoi(argv[2]) : 2000;
	if (iterations <= 0)
		iterations = 1;
	reference_init();
	reference_collect_every(); /* warm-up: opens the files */
	reference_collect_slow();
	double start = cpu_us();
	int processes = 0;
	for (int i = 0; i < iterations; ++i) {
		if (strcmp(what, "every") == 0)
			reference_collect_every();
		else if (strcmp(what, "slow") == 0)
			processes = reference_collect_slow();
		else if (strcmp(what, "process") == 0)
			processes = reference_process_pass();
		else
			reference_tcp_states();
	}
	double per = (cpu_us() - start) / iterations;
	printf("%s: %.1f us CPU per iteration (%d iterations)", what, per, iterations);
	if (processes > 0)
		printf(", %d processes", processes);
	printf("\n");
	return sink == 42; /* never; keeps the work from being optimized away */
}
#endif
