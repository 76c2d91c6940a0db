// The read side of the time series: a chart of any metric, server-wide or per device, from the
// tier that fits the range.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "serversan/server/store/device_blob.h"
#include "serversan/server/store/sqlite/sqlite_store.h"

namespace serversan::store::sqlite {

namespace {

std::optional<Tier> finer(Tier t) {
	switch (t) {
	case Tier::h1:
		return Tier::m5;
	case Tier::m5:
		return Tier::raw;
	default:
		return std::nullopt;
	}
}

int64_t retention_of(const Retention& r, Tier t) {
	switch (t) {
	case Tier::raw:
		return r.raw_ms;
	case Tier::m5:
		return r.m5_ms;
	case Tier::h1:
		return r.h1_ms;
	}
	return 0;
}

std::string_view tier_table(Tier t, bool device) {
	if (t == Tier::m5)
		return device ? "rollup_dev_5m" : "rollup_5m";
	return device ? "rollup_dev_1h" : "rollup_1h";
}

std::string stat_columns(std::string_view base) {
	return fmt::format("{0}_min, {0}_avg, {0}_max", base);
}

// Tier rows keep whole numbers of `step` (metrics.h).
std::optional<Stat> read_stat(Stmt& s, int col, double step) {
	if (s.is_null(col + 1))
		return std::nullopt;
	return Stat{s.f64(col) * step, s.f64(col + 1) * step, s.f64(col + 2) * step};
}

// Groups finer cells into buckets of `width` (the part of a range a tier has not rolled up yet).
std::vector<SeriesCell> regroup(const std::vector<SeriesCell>& in, int64_t width) {
	struct Acc {
		int64_t n = 0;
		Agg a, b;
	};
	std::map<int64_t, Acc> m;
	for (const auto& c : in) {
		Acc& acc = m[bucket_start(c.ts, width)];
		int64_t w = std::max<int64_t>(c.n, 1);
		acc.n += w;
		if (c.a)
			acc.a.add(c.a->min, c.a->avg, c.a->max, w);
		if (c.b)
			acc.b.add(c.b->min, c.b->avg, c.b->max, w);
	}
	std::vector<SeriesCell> out;
	out.reserve(m.size());
	for (const auto& [ts, acc] : m)
		out.push_back({ts, acc.n, acc.a.get(), acc.b.get()});
	return out;
}

} // namespace

Result<std::vector<SeriesCell>> SqliteStore::read_cells(Db& db, Tier tier, uint64_t server_id,
                                                        const SeriesSelector& sel,
                                                        std::optional<int64_t> device_id, int64_t from_ms,
                                                        int64_t to_ms, size_t& skipped) {
	std::vector<SeriesCell> out;
	if (from_ms >= to_ms)
		return out;
	if (tier == Tier::raw) {
		if (!sel.kind) {
			std::string cols = std::string(kMainColumns[static_cast<size_t>(sel.a)]);
			cols += sel.b >= 0 ? fmt::format(", {}", kMainColumns[static_cast<size_t>(sel.b)]) : ", NULL";
			auto st =
			    db.cached(fmt::format("SELECT ts_ms, {} FROM samples WHERE server_id = ? AND ts_ms >= ? "
			                          "AND ts_ms < ? ORDER BY ts_ms",
			                          cols));
			if (!st.ok())
				return st.error();
			Stmt& s = **st;
			StmtScope scope(s);
			s.bind(1, static_cast<int64_t>(server_id)).bind(2, from_ms).bind(3, to_ms);
			while (true) {
				auto row = s.step();
				if (!row.ok())
					return row.error();
				if (!*row)
					break;
				SeriesCell c{s.i64(0), 1, std::nullopt, std::nullopt};
				if (auto v = s.opt_f64(1))
					c.a = Stat{*v, *v, *v};
				if (auto v = s.opt_f64(2))
					c.b = Stat{*v, *v, *v};
				out.push_back(c);
			}
			return out;
		}
		auto st = db.cached("SELECT ts_ms, dev FROM samples WHERE server_id = ? AND ts_ms >= ? AND ts_ms < ? "
		                    "ORDER BY ts_ms");
		if (!st.ok())
			return st.error();
		Stmt& s = **st;
		StmtScope scope(s);
		s.bind(1, static_cast<int64_t>(server_id)).bind(2, from_ms).bind(3, to_ms);
		while (true) {
			auto row = s.step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			auto devices = decode_devices(s.blob_view(1));
			if (!devices.ok()) {
				++skipped; // one altered row must not cost the chart
				continue;
			}
			for (const DeviceSample& d : *devices) {
				if (d.kind != *sel.kind || d.name != sel.device)
					continue;
				SeriesCell c{s.i64(0), 1, std::nullopt, std::nullopt};
				if (auto v = d.values[static_cast<size_t>(sel.a)])
					c.a = Stat{*v, *v, *v};
				if (sel.b >= 0)
					if (auto v = d.values[static_cast<size_t>(sel.b)])
						c.b = Stat{*v, *v, *v};
				out.push_back(c);
				break;
			}
		}
		return out;
	}

	int64_t width = tier_width_ms(tier);
	int64_t done = tier == Tier::m5 ? wm5_.load() : wm1h_.load();
	int64_t first = bucket_start(from_ms, width);
	int64_t stored_end = std::min(to_ms, done);
	bool device = sel.kind.has_value();
	if (first < stored_end && (!device || device_id)) {
		std::string cols;
		if (device) {
			cols = stat_columns(fmt::format("v{}", sel.a));
			cols += ", " + (sel.b >= 0 ? stat_columns(fmt::format("v{}", sel.b)) : "NULL, NULL, NULL");
		} else {
			cols = stat_columns(kMainColumns[static_cast<size_t>(sel.a)]);
			cols += ", " + (sel.b >= 0 ? stat_columns(kMainColumns[static_cast<size_t>(sel.b)])
			                           : "NULL, NULL, NULL");
		}
		auto st = db.cached(fmt::format("SELECT bucket_ms, n, {} FROM {} WHERE k >= ? AND k < ? ORDER BY k",
		                                cols, tier_table(tier, device)));
		if (!st.ok())
			return st.error();
		Stmt& s = **st;
		StmtScope scope(s);
		uint64_t owner = device ? static_cast<uint64_t>(*device_id) : server_id;
		auto step_of = [&](int i) {
			if (i < 0)
				return 1.0;
			auto u = static_cast<size_t>(i);
			return device ? device_slot_step(*sel.kind, u) : main_column_step(u);
		};
		double step_a = step_of(sel.a), step_b = step_of(sel.b);
		// Buckets [first, stored_end): the end is exclusive, rounded up to a whole bucket.
		int64_t last = bucket_start(stored_end - 1, width);
		s.bind(1, tier_key(owner, first, width)).bind(2, tier_key(owner, last, width) + 1);
		while (true) {
			auto row = s.step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			out.push_back({s.i64(0), s.i64(1), read_stat(s, 2, step_a), read_stat(s, 5, step_b)});
		}
	}
	// The newest part, not rolled up yet: the finer tier, regrouped on the fly.
	int64_t tail_from = std::max(first, done);
	if (tail_from < to_ms) {
		auto fine = read_cells(db, *finer(tier), server_id, sel, device_id, tail_from, to_ms, skipped);
		if (!fine.ok())
			return fine.error();
		auto tail = regroup(*fine, width);
		out.insert(out.end(), tail.begin(), tail.end());
	}
	return out;
}

Result<Series> SqliteStore::series(const SeriesQuery& q) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	SeriesSelector sel;
	sel.metric = find_metric(q.metric);
	if (!sel.metric)
		return Err(fmt::format("unknown metric \"{}\"", q.metric));
	if (q.device.empty()) {
		if (sel.metric->column < 0)
			return Err(fmt::format("metric {} needs a device", q.metric));
		sel.a = sel.metric->column;
		sel.b = sel.metric->column_of;
	} else {
		if (!sel.metric->kind || sel.metric->slot < 0)
			return Err(fmt::format("metric {} has no per-device values", q.metric));
		sel.kind = sel.metric->kind;
		sel.device = q.device;
		sel.a = sel.metric->slot;
		sel.b = sel.metric->slot_of;
	}

	Series out;
	if (q.to_ms <= q.from_ms)
		return out;
	int64_t range = q.to_ms - q.from_ms;
	size_t max_points = std::max<size_t>(q.max_points, 1);
	if (q.tier) {
		out.tier = *q.tier;
	} else {
		// The finest tier that fits the range in about max_points buckets and whose retention
		// still reaches from_ms; the coarsest tier otherwise.
		out.tier = Tier::h1;
		for (Tier t : {Tier::raw, Tier::m5}) {
			bool fits = range / tier_width_ms(t) <= static_cast<int64_t>(max_points);
			bool covers = q.from_ms >= q.now_ms - retention_of(opts_.retention, t);
			if (fits && covers) {
				out.tier = t;
				break;
			}
		}
	}

	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	std::optional<int64_t> device_id;
	if (sel.kind && out.tier != Tier::raw) {
		auto st = (*db)->cached("SELECT id FROM devices WHERE server_id = ? AND kind = ? AND name = ?");
		if (!st.ok())
			return st.error();
		StmtScope scope(**st);
		(*st)
		    ->bind(1, static_cast<int64_t>(q.server_id))
		    .bind(2, static_cast<int64_t>(*sel.kind))
		    .bind(3, std::string_view(q.device));
		auto row = (*st)->step();
		if (!row.ok())
			return row.error();
		if (*row)
			device_id = (*st)->i64(0);
	}
	auto cells = read_cells(**db, out.tier, q.server_id, sel, device_id, q.from_ms, q.to_ms, out.skipped);
	if (!cells.ok())
		return cells.error();
	out.step_ms = out.tier == Tier::raw ? 0 : tier_width_ms(out.tier);
	// Raw samples denser than the chart (agents at a 10 s interval) are grouped to its width.
	if (out.tier == Tier::raw && cells->size() > max_points) {
		int64_t step = std::max<int64_t>(1000, (range + static_cast<int64_t>(max_points) - 1) /
		                                           static_cast<int64_t>(max_points));
		step = (step + 999) / 1000 * 1000;
		*cells = regroup(*cells, step);
		out.step_ms = step;
	}
	out.points.reserve(cells->size());
	for (const SeriesCell& c : *cells) {
		if (!c.a)
			continue;
		if (sel.b < 0) {
			out.points.push_back({c.ts, c.a->min, c.a->avg, c.a->max});
			continue;
		}
		// A percentage of a capacity (memory, a filesystem): the capacity barely moves within a
		// bucket, so its mean scales all three.
		if (!c.b || c.b->avg <= 0)
			continue;
		double k = 100.0 / c.b->avg;
		out.points.push_back({c.ts, c.a->min * k, c.a->avg * k, c.a->max * k});
	}
	return out;
}

Result<std::vector<DeviceInfo>> SqliteStore::list_devices(uint64_t server_id) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	std::map<std::pair<int, std::string>, std::optional<int64_t>> seen;
	{
		auto st = (*db)->cached("SELECT kind, name, last_ms FROM devices WHERE server_id = ?");
		if (!st.ok())
			return st.error();
		Stmt& s = **st;
		StmtScope scope(s);
		s.bind(1, static_cast<int64_t>(server_id));
		while (true) {
			auto row = s.step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			seen[{static_cast<int>(s.i64(0)), s.text(1)}] = s.i64(2);
		}
	}
	{
		// Devices of the newest sample, which the roll-ups may not have seen yet.
		auto st =
		    (*db)->cached("SELECT ts_ms, dev FROM samples WHERE server_id = ? ORDER BY ts_ms DESC LIMIT 1");
		if (!st.ok())
			return st.error();
		Stmt& s = **st;
		StmtScope scope(s);
		s.bind(1, static_cast<int64_t>(server_id));
		auto row = s.step();
		if (!row.ok())
			return row.error();
		if (*row) {
			auto devices = decode_devices(s.blob_view(1));
			if (devices.ok()) {
				for (const DeviceSample& d : *devices) {
					auto& last = seen[{static_cast<int>(d.kind), d.name}];
					last = std::max(last.value_or(0), s.i64(0));
				}
			}
		}
	}
	std::vector<DeviceInfo> out;
	for (const auto& [key, last] : seen) {
		auto kind = static_cast<DeviceKind>(key.first);
		if (key.first < 1 || key.first > 4)
			continue;
		out.push_back({std::string(device_kind_name(kind)), key.second, last});
	}
	return out;
}

} // namespace serversan::store::sqlite
