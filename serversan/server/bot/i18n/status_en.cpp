// English texts of /stat: the fleet view, the server view and the units they use (bot/views/).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"status.unit.day", "{n} d"},
    {"status.day", "{weekday} {day} {month}"},
    {"status.weekdays", "Sun Mon Tue Wed Thu Fri Sat"},
    {"status.months", "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"},
    {"status.unit.hour", "{n} h"},
    {"status.unit.min", "{n} min"},
    {"status.unit.sec", "{n} s"},
    {"status.just_now", "just now"},
    {"status.ago", "{time} ago"},
    {"status.col.cpu", "CPU"},
    {"status.col.ram", "RAM"},
    {"status.col.disk", "DISK"},
    {"status.col.load", "LOAD"},
    {"status.col.rx", "↓/s"},
    {"status.col.tx", "↑/s"},
    {"status.fleet_title", "{online}/{total} online"},
    {"status.fleet_offline", "{n} offline"},
    {"status.fleet_never", "{n} waiting"},
    {"status.no_servers", "You have no servers yet. Add one with /add."},
    {"status.never_reported", "no report yet"},
    {"status.offline_for", "offline {time}"},
    {"status.never_detail",
     "No report yet. Run the install line from /add on the server; it shows up here a minute "
     "later."},
    {"status.no_match", "No server of yours is called “{name}”. /stat lists them all."},
    {"status.ambiguous", "“{name}” fits several servers. Which one?"},
    {"status.not_found", "That server no longer exists."},
    {"status.kernel", "Kernel {kernel}"},
    {"status.host", "Host {host}"},
    {"status.uptime", "Up {time}"},
    {"status.last_report", "Last report {ago}"},
    {"status.cpu_head", "<b>CPU</b> {busy} · {cores} cores"},
    {"status.cpu_head_busy", "<b>CPU</b> {busy}"},
    {"status.cpu_shares", "user {user} · sys {system} · iowait {iowait} · steal {steal}"},
    {"status.load", "Load {l1} · {l5} · {l15} ({per_core} per core)"},
    {"status.memory_head", "<b>Memory</b>"},
    {"status.ram", "RAM {used} / {total} · {percent}"},
    {"status.swap", "Swap {used} / {total} · {percent}"},
    {"status.no_swap", "No swap"},
    {"status.disks_head", "<b>Disks</b>"},
    {"status.fs", "{mount} · {percent} · {free} free"},
    {"status.fs_inodes", " · inodes {percent}"},
    {"status.more", "…and {n} more"},
    {"status.net_head", "<b>Network</b>"},
    {"status.net_rate", "{name} ↓ {rx} ↑ {tx}"},
    {"status.net_total", "   total ↓ {rx} ↑ {tx}"},
    {"status.system_head", "<b>System</b>"},
    {"status.processes", "Processes {total} · {running} running · {threads} threads"},
    {"status.tcp", "TCP {states}"},
    {"status.sessions", "Logged-in sessions {n}"},
    {"status.top_cpu_head", "<b>Top CPU</b> · {ago}"},
    {"status.top_memory_head", "<b>Top memory</b> · {ago}"},
    {"status.temps_head", "<b>Temperatures</b>"},
    {"status.updated", "<i>Updated {time}</i>"},
    {"status.refreshed", "Updated"},
};
} // namespace

const Table kStatusEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
