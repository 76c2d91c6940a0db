// 简体中文: texts of /stat (keys as in status_en.cpp).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"status.unit.day", "{n} 天"},
    {"status.day", "{month}{day}日（{weekday}）"},
    {"status.weekdays", "周日 周一 周二 周三 周四 周五 周六"},
    {"status.months", "1月 2月 3月 4月 5月 6月 7月 8月 9月 10月 11月 12月"},
    {"status.unit.hour", "{n} 小时"},
    {"status.unit.min", "{n} 分钟"},
    {"status.unit.sec", "{n} 秒"},
    {"status.just_now", "刚刚"},
    {"status.ago", "{time}前"},
    {"status.col.cpu", "CPU"},
    {"status.col.ram", "内存"},
    {"status.col.disk", "磁盘"},
    {"status.col.load", "负载"},
    {"status.col.rx", "↓/s"},
    {"status.col.tx", "↑/s"},
    {"status.fleet_title", "在线 {online}/{total}"},
    {"status.fleet_offline", "离线 {n}"},
    {"status.fleet_never", "待接入 {n}"},
    {"status.no_servers", "还没有服务器，用 /add 添加一台。"},
    {"status.never_reported", "尚未上报"},
    {"status.offline_for", "已离线 {time}"},
    {"status.never_detail", "尚未收到数据。在服务器上运行 /add 给出的安装命令，约一分钟后即可在这里看到。"},
    {"status.no_match", "没有名为“{name}”的服务器。发送 /stat 查看全部。"},
    {"status.ambiguous", "有多台服务器匹配“{name}”，请选择："},
    {"status.not_found", "该服务器已不存在。"},
    {"status.kernel", "内核 {kernel}"},
    {"status.host", "主机 {host}"},
    {"status.uptime", "已运行 {time}"},
    {"status.last_report", "{ago}上报"},
    {"status.cpu_head", "<b>CPU</b> {busy} · {cores} 核"},
    {"status.cpu_head_busy", "<b>CPU</b> {busy}"},
    {"status.cpu_shares", "用户 {user} · 系统 {system} · IO 等待 {iowait} · steal {steal}"},
    {"status.load", "负载 {l1} · {l5} · {l15}（每核 {per_core}）"},
    {"status.memory_head", "<b>内存</b>"},
    {"status.ram", "物理内存 {used} / {total} · {percent}"},
    {"status.swap", "交换 {used} / {total} · {percent}"},
    {"status.no_swap", "无交换分区"},
    {"status.disks_head", "<b>磁盘</b>"},
    {"status.fs", "{mount} · {percent} · 剩余 {free}"},
    {"status.fs_inodes", " · inode {percent}"},
    {"status.more", "…还有 {n} 项"},
    {"status.net_head", "<b>网络</b>"},
    {"status.net_rate", "{name} ↓ {rx} ↑ {tx}"},
    {"status.net_total", "   累计 ↓ {rx} ↑ {tx}"},
    {"status.system_head", "<b>系统</b>"},
    {"status.processes", "进程 {total} · 运行 {running} · 线程 {threads}"},
    {"status.tcp", "TCP {states}"},
    {"status.sessions", "登录会话 {n}"},
    {"status.top_cpu_head", "<b>CPU 占用最高</b> · {ago}"},
    {"status.top_memory_head", "<b>内存占用最高</b> · {ago}"},
    {"status.temps_head", "<b>温度</b>"},
    {"status.updated", "<i>更新于 {time}</i>"},
    {"status.refreshed", "已刷新"},
};
} // namespace

const Table kStatusZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
