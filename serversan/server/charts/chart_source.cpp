#include "serversan/server/charts/chart_source.h"

#include <algorithm>

#include <fmt/format.h>

#include "serversan/server/store/metrics.h"

namespace serversan::charts {

namespace {

Unit unit_of(std::string_view metric) {
	const store::MetricInfo* m = store::find_metric(metric);
	std::string_view u = m ? m->unit : "";
	if (u == "%")
		return Unit::percent;
	if (u == "bytes")
		return Unit::bytes;
	if (u == "bytes/s")
		return Unit::bytes_per_s;
	if (u == "°C")
		return Unit::celsius;
	return Unit::plain;
}

DateWords date_words(const Words& words) {
	DateWords d;
	d.pattern = word(words, "date");
	for (size_t i = 0; i < d.months.size(); ++i)
		d.months[i] = word(words, fmt::format("month.{}", i + 1));
	return d;
}

Result<std::vector<std::string>> devices_of_kind(store::Store& store, uint64_t server_id,
                                                 std::string_view kind, int64_t from_ms) {
	auto all = store.list_devices(server_id);
	if (!all)
		return all.error();
	std::vector<std::string> out;
	for (const store::DeviceInfo& d : *all)
		if (d.kind == kind && (!d.last_ms || *d.last_ms >= from_ms) && (kind != "net" || d.name != "lo"))
			out.push_back(d.name);
	std::sort(out.begin(), out.end());
	out.erase(std::unique(out.begin(), out.end()), out.end());
	return out;
}

Result<store::Series> read_series(store::Store& store, uint64_t server_id, std::string_view metric,
                                  std::string_view device, int64_t from_ms, int64_t now_ms,
                                  size_t max_points) {
	store::SeriesQuery q;
	q.server_id = server_id;
	q.metric = std::string(metric);
	q.device = std::string(device);
	q.from_ms = from_ms;
	q.to_ms = now_ms;
	q.now_ms = now_ms;
	q.max_points = max_points;
	return store.series(q);
}

class Loader {
public:
	Loader(store::Store& store, const ChartRequest& req) : store_(store), req_(req) {
		data_.server_name = req.server_name;
		data_.title = w(fmt::format("title.{}", chart_kind_name(req.kind)));
		if (!req.device.empty())
			data_.title += " · " + req.device;
		data_.range_label = w(fmt::format("range.{}", chart_range_name(req.range)));
		data_.offline_label = w("offline");
		data_.date_words = date_words(req_.words);
		data_.no_data = w("no_data");
		data_.no_data_detail = w("no_data_detail");
		data_.time_zone = req.time_zone;
		data_.to_ms = req.now_ms;
		data_.from_ms = req.now_ms - chart_range_ms(req.range);
	}

	Result<void> add(std::string label, std::string_view metric, std::string_view device, LayerStyle style,
	                 size_t color) {
		// About two points per pixel: a day of 1-minute samples stays raw, a week reads the
		// 5-minute tier, a month the hourly one.
		auto s = read_series(store_, req_.server_id, metric, device, data_.from_ms, req_.now_ms,
		                     static_cast<size_t>(std::max(100, 2 * req_.size.width)));
		if (!s)
			return s.error();
		data_.unit = unit_of(metric);
		data_.layers.push_back({std::move(label), std::move(*s), style, color});
		return {};
	}

	// The devices of a kind seen in the range, by name; at most the legend's worth.
	Result<std::vector<std::string>> devices(std::string_view kind) {
		auto out = devices_of_kind(store_, req_.server_id, kind, data_.from_ms);
		if (out && out->size() > kMaxDeviceLayers)
			out->resize(kMaxDeviceLayers);
		return out;
	}

	// The newest value of a metric in the range (the RAM size, a filesystem's size).
	std::optional<double> newest(const Layer& l) const {
		if (l.series.points.empty())
			return std::nullopt;
		return l.series.points.back().avg;
	}

	Result<ChartData> load() {
		Result<void> r;
		const std::string& dev = req_.device;
		switch (req_.kind) {
		case ChartKind::cpu: {
			size_t c = 0;
			for (auto [label, metric] : {std::pair{"user", "cpu.user"},
			                             {"system", "cpu.system"},
			                             {"iowait", "cpu.iowait"},
			                             {"steal", "cpu.steal"}})
				if (r = add(w(label), metric, "", LayerStyle::stacked, c++); !r)
					return r.error();
			break;
		}
		case ChartKind::memory: {
			if (r = add(w("ram_used"), "mem.used", "", LayerStyle::area, 0); !r)
				return r.error();
			if (r = add(w("swap_used"), "swap.used", "", LayerStyle::line, 1); !r)
				return r.error();
			if (auto total = total_of("mem.total", ""))
				data_.refs.push_back({w("ram_total", {}, format_value(Unit::bytes, *total)), *total, 7});
			if (data_.layers[1].series.points.empty())
				data_.layers.pop_back(); // no swap: no legend entry for it
			break;
		}
		case ChartKind::disk: {
			if (!dev.empty()) {
				if (r = add(w("used"), "fs.used", dev, LayerStyle::area, 0); !r)
					return r.error();
				if (auto total = total_of("fs.total", dev))
					data_.refs.push_back({w("fs_size", {}, format_value(Unit::bytes, *total)), *total, 7});
				break;
			}
			auto fs = devices("fs");
			if (!fs)
				return fs.error();
			size_t c = 0;
			for (const std::string& name : *fs)
				if (r = add(name, "fs.percent", name, LayerStyle::line, c++); !r)
					return r.error();
			data_.unit = Unit::percent;
			break;
		}
		case ChartKind::io:
			if (r = add(w("read"), "disk.read", dev, LayerStyle::line, 0); !r)
				return r.error();
			if (r = add(w("write"), "disk.write", dev, LayerStyle::line, 1); !r)
				return r.error();
			break;
		case ChartKind::network:
			if (r = add(w("in"), "net.rx", dev, LayerStyle::line, 0); !r)
				return r.error();
			if (r = add(w("out"), "net.tx", dev, LayerStyle::line, 1); !r)
				return r.error();
			break;
		case ChartKind::load: {
			if (r = add(w("load1"), "load.1", "", LayerStyle::line, 0); !r)
				return r.error();
			if (r = add(w("load15"), "load.15", "", LayerStyle::line, 1); !r)
				return r.error();
			auto server = store_.find_server(req_.server_id);
			if (!server)
				return server.error();
			if (*server && (*server)->host && (*server)->host->cpu_logical) {
				uint32_t n = *(*server)->host->cpu_logical;
				data_.refs.push_back(
				    {w(n == 1 ? "core" : "cores", std::to_string(n)), static_cast<double>(n), 2});
			}
			break;
		}
		case ChartKind::temp: {
			std::vector<std::string> sensors{dev};
			if (dev.empty()) {
				auto all = devices("temp");
				if (!all)
					return all.error();
				sensors = *all;
			}
			size_t c = 0;
			for (const std::string& name : sensors)
				if (r = add(name, "temp", name, LayerStyle::line, c++); !r)
					return r.error();
			data_.unit = Unit::celsius;
			break;
		}
		}
		return std::move(data_);
	}

private:
	std::string w(std::string_view key, std::string_view n = {}, std::string_view size = {}) const {
		return word(req_.words, key, n, size);
	}

	std::optional<double> total_of(std::string_view metric, std::string_view device) {
		// The coarsest tier: only the newest value matters.
		auto s = read_series(store_, req_.server_id, metric, device, data_.from_ms, req_.now_ms, 50);
		if (!s || s->points.empty())
			return std::nullopt;
		return s->points.back().avg;
	}

	store::Store& store_;
	const ChartRequest& req_;
	ChartData data_;
};

} // namespace

Result<ChartData> load_chart(store::Store& store, const ChartRequest& request) {
	return Loader(store, request).load();
}

Result<ChartData> load_sparkline(store::Store& store, const SparklineRequest& request) {
	int64_t from_ms = request.now_ms - request.span_ms;
	auto s =
	    read_series(store, request.server_id, request.metric, request.device, from_ms, request.now_ms, 600);
	if (!s)
		return s.error();
	ChartData d;
	d.title = !request.title.empty()   ? request.title
	          : request.device.empty() ? request.metric
	                                   : request.metric + " · " + request.device;
	d.unit = unit_of(request.metric);
	d.from_ms = from_ms;
	d.to_ms = request.now_ms;
	d.threshold = request.threshold;
	if (request.threshold)
		d.threshold_label = word(request.words, "limit", {}, format_value(d.unit, *request.threshold));
	d.no_data = word(request.words, "no_data");
	d.date_words = date_words(request.words);
	d.layers.push_back({"", std::move(*s), LayerStyle::area, 0});
	return d;
}

Result<std::vector<std::string>> chart_devices(store::Store& store, uint64_t server_id, ChartKind kind,
                                               int64_t from_ms) {
	switch (kind) {
	case ChartKind::disk:
		return devices_of_kind(store, server_id, "fs", from_ms);
	case ChartKind::io:
		return devices_of_kind(store, server_id, "disk", from_ms);
	case ChartKind::network:
		return devices_of_kind(store, server_id, "net", from_ms);
	case ChartKind::temp:
		return devices_of_kind(store, server_id, "temp", from_ms);
	default:
		return std::vector<std::string>{};
	}
}

} // namespace serversan::charts
