#include "serversan/server/alerts/values.h"

#include <algorithm>
#include <array>

#include "serversan/server/store/metrics.h"

namespace serversan::alerts {

namespace {

struct KindMetric {
	const AlertKind* kind;
	const store::MetricInfo* metric;
};

// The catalogue lookups once: kind -> metric_catalog() entry (none for the pseudo metrics).
const std::vector<KindMetric>& kind_metrics() {
	static const std::vector<KindMetric> table = [] {
		std::vector<KindMetric> t;
		for (const AlertKind& k : alert_kinds())
			t.push_back({&k, store::find_metric(k.metric)});
		return t;
	}();
	return table;
}

// The name of device_samples(r)[i], in the report itself (device_samples lists filesystems,
// disks, interfaces, then sensors, each in report order), so a KindValue outlives the samples.
std::string_view device_name(const Report& r, size_t i) {
	if (i < r.filesystems.size())
		return r.filesystems[i].mount;
	i -= r.filesystems.size();
	if (i < r.disks.size())
		return r.disks[i].device;
	i -= r.disks.size();
	if (i < r.interfaces.size())
		return r.interfaces[i].name;
	return r.temperatures[i - r.interfaces.size()].sensor;
}

} // namespace

bool is_pseudo_filesystem(std::string_view type) {
	static constexpr std::array<std::string_view, 16> kPseudo = {
	    "tmpfs",   "devtmpfs", "ramfs",  "squashfs", "proc",    "sysfs", "cgroup", "cgroup2",
	    "overlay", "devpts",   "mqueue", "debugfs",  "tracefs", "nsfs",  "autofs", "iso9660",
	};
	return std::find(kPseudo.begin(), kPseudo.end(), type) != kPseudo.end();
}

void report_values(const Report& r, std::optional<uint32_t> cores, std::vector<KindValue>& out) {
	out.clear();
	const store::MainValues main = store::main_values(r);
	std::vector<store::DeviceSample> devices;
	bool have_devices = false;
	for (const KindMetric& km : kind_metrics()) {
		const AlertKind& k = *km.kind;
		if (k.metric == kMetricOffline)
			continue;
		if (k.metric == kMetricLoadPerCore) {
			if (main[5] && cores && *cores > 0)
				out.push_back({&k, {}, *main[5] / *cores});
			continue;
		}
		const store::MetricInfo* m = km.metric;
		if (!m)
			continue;
		if (!k.per_device) {
			std::optional<double> v = m->column_of >= 0
			                              ? store::percent_of(main[static_cast<size_t>(m->column)],
			                                                  main[static_cast<size_t>(m->column_of)])
			                              : main[static_cast<size_t>(m->column)];
			if (v)
				out.push_back({&k, {}, *v});
			continue;
		}
		if (!m->kind || m->slot < 0)
			continue;
		if (!have_devices) {
			devices = store::device_samples(r);
			have_devices = true;
		}
		for (size_t i = 0; i < devices.size(); ++i) {
			const store::DeviceSample& d = devices[i];
			if (d.kind != *m->kind)
				continue;
			if (d.kind == store::DeviceKind::filesystem && is_pseudo_filesystem(r.filesystems[i].type))
				continue;
			if (d.kind == store::DeviceKind::interface && d.name == "lo")
				continue;
			std::optional<double> v = m->slot_of >= 0
			                              ? store::percent_of(d.values[static_cast<size_t>(m->slot)],
			                                                  d.values[static_cast<size_t>(m->slot_of)])
			                              : d.values[static_cast<size_t>(m->slot)];
			if (v)
				out.push_back({&k, device_name(r, i), *v});
		}
	}
}

} // namespace serversan::alerts
