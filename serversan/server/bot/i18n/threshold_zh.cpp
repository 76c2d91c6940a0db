// 简体中文: /threshold 告警阈值 (keys as in threshold_en.cpp).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"threshold.kind.cpu", "CPU"},
    {"threshold.kind.ram", "内存"},
    {"threshold.kind.swap", "交换"},
    {"threshold.kind.disk", "磁盘"},
    {"threshold.kind.inodes", "inode"},
    {"threshold.kind.load", "负载"},
    {"threshold.kind.net_in", "入站流量"},
    {"threshold.kind.net_out", "出站流量"},
    {"threshold.kind.io", "磁盘 I/O"},
    {"threshold.kind.temp", "温度"},
    {"threshold.kind.offline", "离线"},

    {"threshold.above", "&gt; {v}"},
    {"threshold.for", "持续 {d}"},
    {"threshold.clears", "低于 {v} 恢复"},
    {"threshold.offline_rule", "{d}无上报"},
    {"threshold.off", "已关闭"},
    {"threshold.critical", "严重"},
    {"threshold.per_core", "{v}/核"},

    {"threshold.title_chat", "<b>告警阈值</b> · 本聊天"},
    {"threshold.title_tag", "<b>告警阈值</b> · #{tag}"},
    {"threshold.intro_tag", "带标签 #{tag} 的服务器使用这些设置，除非有自己的设置。"},
    {"threshold.legend_tag", "▲ 本标签 · ● 聊天默认 · ○ 内置默认"},
    {"threshold.hint_tag", "点按类型即可修改，或输入 <code>/threshold #{tag} cpu 85 5m</code>。"},
    {"threshold.title_server", "<b>告警阈值</b> · {name}"},
    {"threshold.intro_chat", "本聊天的每台服务器都使用这些设置，除非它有单独设置。"},
    {"threshold.legend_chat", "● 本聊天设置 · ○ 内置默认"},
    {"threshold.legend_server", "◆ 本服务器 · ▲ 标签 · ● 聊天默认 · ○ 内置默认"},
    {"threshold.hint_chat", "点按类型即可修改，或输入 <code>/threshold cpu 85 5m</code>。"},
    {"threshold.hint_server", "点按类型即可只修改这台服务器。"},
    {"threshold.per_server", "按服务器…"},
    {"threshold.pick", "要查看哪台服务器的阈值？"},

    {"threshold.editor_title", "<b>{kind}</b> · {scope}"},
    {"threshold.scope_chat", "本聊天"},
    {"threshold.now", "当前：{rule}"},
    {"threshold.source_builtin", "○ 内置默认"},
    {"threshold.source_chat", "● 本聊天的默认"},
    {"threshold.source_server", "◆ 本服务器单独设置"},
    {"threshold.source_tag", "▲ 标签 #{tag} 的设置"},
    {"threshold.reset_gives", "恢复默认后：{rule}"},
    {"threshold.editor_help", "第一行选阈值，第二行选需要持续多久。"},
    {"threshold.editor_help_offline", "多久没有上报算作离线？"},
    {"threshold.devices_hint", "单个设备：输入例如 <code>{command} {kind}:名称 95</code>。"},
    {"threshold.btn_warning", "级别：警告"},
    {"threshold.btn_critical", "级别：严重"},
    {"threshold.btn_off", "关闭"},
    {"threshold.btn_on", "开启"},
    {"threshold.btn_reset", "恢复默认"},
    {"threshold.saved", "已保存"},
    {"threshold.reset_toast", "已恢复默认"},

    {"threshold.this_chat", "本聊天"},
    {"threshold.set_done", "✅ {scope}：<b>{kind}</b> {rule}"},
    {"threshold.off_done", "🔕 {scope}：<b>{kind}</b> 告警已关闭。"},
    {"threshold.on_done", "🔔 {scope}：<b>{kind}</b> {rule}"},
    {"threshold.already_on", "{scope}：<b>{kind}</b> 本来就是开启的：{rule}"},
    {"threshold.wider_chat", "聊天默认"},
    {"threshold.wider_builtin", "内置默认"},
    {"threshold.wider_server", "本服务器的规则"},
    {"threshold.wider_tag", "标签规则"},
    {"threshold.status", "{mark} {scope}：<b>{kind}</b> {rule}"},
    {"threshold.reset_done", "↩️ {scope}：<b>{kind}</b> 重新使用{wider}：{rule}"},
    {"threshold.here_done", "📨 {scope}：<b>{kind}</b> 告警现在发到本聊天：{rule}"},
    {"threshold.here_server_only",
     "“here” 把一台服务器某一类的告警发到本聊天，例如 <code>/threshold web1 cpu 90 here</code>。"
     "聊天默认和标签规则的告警跟随各服务器的去向。"},
    {"threshold.routed_here", "➜ 本聊天"},
    {"threshold.routed_away", "➜ 其他聊天"},
    {"threshold.route_here", "➜ 这条规则的告警发到本聊天。"},
    {"threshold.route_away", "➜ 这条规则的告警发到其他聊天。"},
    {"threshold.here_hint", "要改在群组里接收这类告警，请在群里发送 <code>{command} {kind} here</code>。"},
    {"threshold.reset_none", "{scope} 没有单独的 <b>{kind}</b> 规则，使用的是{wider}：{rule}"},

    {"threshold.accept.percent", "百分比，例如 <code>90</code> 或 <code>90%</code>"},
    {"threshold.accept.per_core", "每个 CPU 核心的负载，例如 <code>2</code> 或 <code>2.5</code>"},
    {"threshold.accept.bytes_per_s",
     "速率，例如 <code>50MB/s</code>、<code>400Mbit/s</code> 或 <code>1.5GB/s</code>（字节按 1024 "
     "进位，比特按 1000）"},
    {"threshold.accept.celsius", "摄氏度，例如 <code>85</code>"},
    {"threshold.accept.minutes", "时长，例如 <code>10m</code> 或 <code>1h</code>"},
    {"threshold.err_kind", "“{word}” 不是告警类型。可用类型：{kinds}。"},
    {"threshold.err_no_devices", "<b>{kind}</b> 每台服务器只有一个值，不分设备。只有 {kinds} "
                                 "可以指定设备，例如 <code>disk:/data</code>。"},
    {"threshold.err_device", "“:” 后的设备名应为 1 到 64 个字符，例如 <code>disk:/data</code>。"},
    {"threshold.err_value", "“{word}” 不是 <b>{kind}</b> 的有效值：请输入{accepted}。"},
    {"threshold.err_range", "<b>{kind}</b> 的范围是 {min} 到 {max}，“{word}” 超出范围。"},
    {"threshold.err_duration", "“{word}” 不是有效时长。请使用 30s、5m、10min 或 1h 等（最长 24 小时）。"},
    {"threshold.err_offline",
     "<b>离线</b> 只接受时长和级别，例如 <code>/threshold offline 10m critical</code>。"},
    {"threshold.err_clear_missing", "“clear” 后面需要一个值，例如 <code>clear 80</code>。"},
    {"threshold.err_clear_above", "恢复值 {clear} 高于阈值 {value}：告警只能在低于触发线时恢复。"},
    {"threshold.err_unexpected", "无法理解 “{word}”。格式：<code>/threshold [服务器] 类型 值 [时长] [clear "
                                 "值] [warning|critical] [here]</code>，"
                                 "或 <code>/threshold [服务器] 类型 off|on|default</code>。"},
};
} // namespace

const Table kThresholdZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
