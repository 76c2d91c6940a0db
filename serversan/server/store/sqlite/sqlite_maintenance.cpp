// Roll-ups, retention and stats of the SQLite store (backups: sqlite_backup.cpp).
//
// Roll-ups read on a reader connection (beside ingest) and write in short transactions of at most
// RollupLimits::rows_per_step rows; retention deletes at most PurgeLimits::rows_per_step rows per
// transaction, one server at a time through the (server, time) keys, never with a table scan
// (research/perf-anchors.md: one DELETE of 200k rows held the write lock for 1.9 s).
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "serversan/core/log.h"
#include "serversan/server/store/device_blob.h"
#include "serversan/server/store/sqlite/sqlite_store.h"

namespace serversan::store::sqlite {

namespace {

constexpr const char* kMeta5m = "rollup_5m_done_ms";
constexpr const char* kMeta1h = "rollup_1h_done_ms";

std::string stat_list(std::string_view prefix = "") {
	std::string out;
	for (std::string_view c : kMainColumns)
		out += fmt::format("{1}{0}_min, {1}{0}_avg, {1}{0}_max, ", c, prefix);
	out.resize(out.size() - 2);
	return out;
}

std::string slot_list(std::string_view prefix = "") {
	std::string out;
	for (size_t i = 0; i < kDeviceSlots; ++i)
		out += fmt::format("{1}v{0}_min, {1}v{0}_avg, {1}v{0}_max, ", i, prefix);
	out.resize(out.size() - 2);
	return out;
}

std::string marks(size_t n) {
	std::string out;
	for (size_t i = 0; i < n; ++i)
		out += i ? ",?" : "?";
	return out;
}

bool key_fits(uint64_t owner, int64_t bucket_ms, int64_t width) {
	return owner < (uint64_t{1} << (63 - kBucketBits)) && bucket_ms >= 0 &&
	       bucket_ms / width < (int64_t{1} << kBucketBits);
}

// Statistics are stored as whole numbers of their step (metrics.h, main_column_step).
template <size_t N, typename Step>
void bind_stats(Stmt& s, int first, const BucketAgg<N>& b, Step step) {
	for (size_t i = 0; i < N; ++i) {
		int col = first + static_cast<int>(3 * i);
		if (auto st = b.v[i].get()) {
			double k = step(i);
			s.bind(col, std::round(st->min / k))
			    .bind(col + 1, std::round(st->avg / k))
			    .bind(col + 2, std::round(st->max / k));
		} else {
			s.bind_null(col).bind_null(col + 1).bind_null(col + 2);
		}
	}
}

template <size_t N, typename Step>
void add_stats(Stmt& s, int first, int64_t n, BucketAgg<N>& b, Step step) {
	b.n += n;
	for (size_t i = 0; i < N; ++i) {
		int col = first + static_cast<int>(3 * i);
		double k = step(i);
		if (!s.is_null(col + 1))
			b.v[i].add(s.f64(col) * k, s.f64(col + 1) * k, s.f64(col + 2) * k, n);
	}
}

std::string tier_of_table(std::string_view name) {
	if (name == "samples")
		return "raw";
	if (name == "rollup_5m" || name == "rollup_dev_5m")
		return "5m";
	if (name == "rollup_1h" || name == "rollup_dev_1h")
		return "1h";
	return "";
}

} // namespace

size_t SqliteStore::Rolled::rows() const {
	size_t n = main.size();
	for (const auto& [key, m] : dev_by_name)
		n += m.size();
	for (const auto& [key, m] : dev_by_id)
		n += m.size();
	return n;
}

Result<std::optional<int64_t>> SqliteStore::meta_i64(Db& db, std::string_view key) {
	auto st = db.cached("SELECT value FROM meta WHERE key = ?");
	if (!st.ok())
		return st.error();
	StmtScope scope(**st);
	(*st)->bind(1, key);
	auto row = (*st)->step();
	if (!row.ok())
		return row.error();
	if (!*row)
		return std::optional<int64_t>{};
	auto v = (*st)->checked_i64(0, fmt::format("meta {}", key));
	if (!v.ok())
		return v.error();
	return std::optional<int64_t>{*v};
}

Result<void> SqliteStore::set_meta_i64(Db& db, std::string_view key, int64_t v) {
	auto st = db.cached("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
	if (!st.ok())
		return st.error();
	(*st)->bind(1, key).bind(2, v);
	return (*st)->run();
}

Result<void> SqliteStore::load_watermarks() {
	// At open a bad value is only logged: ingest must keep working; rollup() and purge() read the
	// values again and refuse to run on them with the same message.
	auto a = meta_i64(w_, kMeta5m);
	auto b = meta_i64(w_, kMeta1h);
	if (!a.ok() || !b.ok()) {
		log::error("store: {}", (!a.ok() ? a : b).error().message);
		return Ok();
	}
	wm5_ = a->value_or(0);
	wm1h_ = b->value_or(0);
	rolling5_ = wm5_.load();
	return Ok();
}

Result<void> SqliteStore::init_watermarks(int64_t now_ms) {
	auto a = meta_i64(w_, kMeta5m);
	if (!a.ok())
		return a.error();
	auto b = meta_i64(w_, kMeta1h);
	if (!b.ok())
		return b.error();
	if (*a && *b) {
		wm5_ = **a;
		wm1h_ = **b;
		if (rolling5_.load() < wm5_.load())
			rolling5_ = wm5_.load();
		return Ok();
	}
	// First run: start at the oldest sample the 5-minute tier would still keep (older ones are
	// due for deletion anyway), or now for an empty store.
	int64_t w5 = tier_width_ms(Tier::m5);
	int64_t start = bucket_start(now_ms - opts_.rollup_grace_ms, w5);
	auto oldest = w_.prepare("SELECT min(ts_ms) FROM samples");
	if (!oldest.ok())
		return oldest.error();
	auto row = oldest->step();
	if (!row.ok())
		return row.error();
	if (!oldest->is_null(0))
		start = std::min(start, bucket_start(std::max(oldest->i64(0), now_ms - opts_.retention.m5_ms), w5));
	oldest->reset();
	int64_t start1h = bucket_start(start, tier_width_ms(Tier::h1));
	Tx tx(w_);
	if (auto r = tx.begin(); !r.ok())
		return r;
	if (auto r = set_meta_i64(w_, kMeta5m, start); !r.ok())
		return r;
	if (auto r = set_meta_i64(w_, kMeta1h, start1h); !r.ok())
		return r;
	if (auto r = tx.commit(); !r.ok())
		return r;
	wm5_ = start;
	wm1h_ = start1h;
	rolling5_ = start;
	return Ok();
}

Result<void> SqliteStore::aggregate_source(Db& db, Tier tier, uint64_t server_id, int64_t from_ms,
                                           int64_t to_ms, Rolled& out) {
	int64_t w5 = tier_width_ms(Tier::m5);
	if (tier == Tier::m5) {
		std::string cols;
		for (std::string_view c : kMainColumns)
			cols += fmt::format("{}, ", c);
		auto st = db.cached(fmt::format(
		    "SELECT ts_ms, {}dev FROM samples WHERE server_id = ? AND ts_ms >= ? AND ts_ms < ?", cols));
		if (!st.ok())
			return st.error();
		Stmt& s = **st;
		StmtScope scope(s);
		s.bind(1, static_cast<int64_t>(server_id)).bind(2, from_ms).bind(3, to_ms);
		int dev_col = static_cast<int>(1 + kMainColumnCount);
		while (true) {
			auto row = s.step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			int64_t b = bucket_start(s.i64(0), w5);
			auto& m = out.main[b];
			++m.n;
			for (size_t i = 0; i < kMainColumnCount; ++i)
				if (!s.is_null(static_cast<int>(1 + i)))
					m.v[i].add(s.f64(static_cast<int>(1 + i)));
			auto devices = decode_devices(s.blob_view(dev_col));
			if (!devices.ok())
				continue; // an altered blob: that sample's devices are left out, the rest rolls up
			for (const DeviceSample& d : *devices) {
				auto& dm = out.dev_by_name[{static_cast<int>(d.kind), d.name}][b];
				++dm.n;
				for (size_t i = 0; i < kDeviceSlots; ++i)
					dm.v[i].add(d.values[i]);
			}
		}
		return Ok();
	}
	// One hour from twelve 5-minute buckets.
	int64_t w1h = tier_width_ms(Tier::h1);
	auto st =
	    db.cached(fmt::format("SELECT bucket_ms, n, {} FROM rollup_5m WHERE k >= ? AND k < ?", stat_list()));
	if (!st.ok())
		return st.error();
	{
		Stmt& s = **st;
		StmtScope scope(s);
		s.bind(1, tier_key(server_id, from_ms, w5)).bind(2, tier_key(server_id, to_ms, w5));
		while (true) {
			auto row = s.step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			add_stats(s, 2, s.i64(1), out.main[bucket_start(s.i64(0), w1h)], main_column_step);
		}
	}
	auto dv = db.cached(
	    fmt::format("SELECT d.id, d.kind, r.bucket_ms, r.n, {} FROM devices d JOIN rollup_dev_5m r "
	                "ON r.k >= (d.id << {}) + ?2 AND r.k < (d.id << {}) + ?3 WHERE d.server_id = ?1",
	                slot_list("r."), kBucketBits, kBucketBits));
	if (!dv.ok())
		return dv.error();
	Stmt& s = **dv;
	StmtScope scope(s);
	s.bind(1, static_cast<int64_t>(server_id)).bind(2, from_ms / w5).bind(3, to_ms / w5);
	while (true) {
		auto row = s.step();
		if (!row.ok())
			return row.error();
		if (!*row)
			break;
		auto kind = static_cast<DeviceKind>(s.i64(1));
		out.kind_of_id[s.i64(0)] = kind;
		add_stats(s, 4, s.i64(3), out.dev_by_id[s.i64(0)][bucket_start(s.i64(2), w1h)],
		          [kind](size_t slot) { return device_slot_step(kind, slot); });
	}
	return Ok();
}

Result<size_t> SqliteStore::write_rolled(Tier tier, uint64_t server_id, const Rolled& r) {
	int64_t width = tier_width_ms(tier);
	std::string_view t = tier == Tier::m5 ? "5m" : "1h";
	auto main =
	    w_.cached(fmt::format("INSERT OR REPLACE INTO rollup_{}(k, server_id, bucket_ms, n, {}) VALUES({})",
	                          t, stat_list(), marks(4 + 3 * kMainColumnCount)));
	auto dev = w_.cached(
	    fmt::format("INSERT OR REPLACE INTO rollup_dev_{}(k, device_id, bucket_ms, n, {}) VALUES({})", t,
	                slot_list(), marks(4 + 3 * kDeviceSlots)));
	auto device_id =
	    w_.cached("INSERT INTO devices(server_id, kind, name, first_ms, last_ms) VALUES(?,?,?,?,?) "
	              "ON CONFLICT(server_id, kind, name) DO UPDATE SET "
	              "first_ms = min(first_ms, excluded.first_ms), last_ms = max(last_ms, excluded.last_ms) "
	              "RETURNING id");
	for (auto* st : {&main, &dev, &device_id})
		if (!st->ok())
			return st->error();
	size_t written = 0;
	for (const auto& [bucket, b] : r.main) {
		if (!key_fits(server_id, bucket, width))
			continue;
		Stmt& s = **main;
		s.bind(1, tier_key(server_id, bucket, width))
		    .bind(2, static_cast<int64_t>(server_id))
		    .bind(3, bucket)
		    .bind(4, b.n);
		bind_stats(s, 5, b, main_column_step);
		if (auto res = s.run(); !res.ok())
			return res.error();
		++written;
	}
	auto write_device = [&](int64_t id, DeviceKind kind,
	                        const std::map<int64_t, BucketAgg<kDeviceSlots>>& buckets) -> Result<void> {
		auto step = [kind](size_t slot) { return device_slot_step(kind, slot); };
		for (const auto& [bucket, b] : buckets) {
			if (!key_fits(static_cast<uint64_t>(id), bucket, width))
				continue;
			Stmt& s = **dev;
			s.bind(1, tier_key(static_cast<uint64_t>(id), bucket, width))
			    .bind(2, id)
			    .bind(3, bucket)
			    .bind(4, b.n);
			bind_stats(s, 5, b, step);
			if (auto res = s.run(); !res.ok())
				return res;
			++written;
		}
		return Ok();
	};
	for (const auto& [key, buckets] : r.dev_by_name) {
		if (buckets.empty())
			continue;
		Stmt& s = **device_id;
		int64_t id = 0;
		{
			StmtScope scope(s);
			s.bind(1, static_cast<int64_t>(server_id))
			    .bind(2, int64_t{key.first})
			    .bind(3, std::string_view(key.second))
			    .bind(4, buckets.begin()->first)
			    .bind(5, buckets.rbegin()->first);
			auto row = s.step();
			if (!row.ok())
				return row.error();
			if (!*row)
				return Err("devices: no id returned");
			id = s.i64(0);
			// RETURNING rows must be stepped to the end before the statement is reset.
			while (true) {
				auto more = s.step();
				if (!more.ok())
					return more.error();
				if (!*more)
					break;
			}
		}
		if (auto res = write_device(id, static_cast<DeviceKind>(key.first), buckets); !res.ok())
			return res.error();
	}
	for (const auto& [id, buckets] : r.dev_by_id) {
		auto kind = r.kind_of_id.find(id);
		if (kind == r.kind_of_id.end())
			continue;
		if (auto res = write_device(id, kind->second, buckets); !res.ok())
			return res.error();
	}
	return written;
}

Result<bool> SqliteStore::rollup_window(Tier tier, int64_t now_ms, const RollupLimits& limits,
                                        RollupProgress& p) {
	int64_t width = tier_width_ms(tier);
	std::atomic<int64_t>& wm = tier == Tier::m5 ? wm5_ : wm1h_;
	int64_t done = wm.load();
	int64_t target = tier == Tier::m5 ? bucket_start(now_ms - opts_.rollup_grace_ms, width)
	                                  : bucket_start(wm5_.load(), width);
	if (done >= target)
		return false;
	TierCursor& cur = tier == Tier::m5 ? cur5_ : cur1h_;
	if (cur.window_end <= done) {
		// A catching-up job reads up to an hour (5-minute tier) or a day (1-hour tier) per pass.
		cur.window_end = std::min(target, done + width * (tier == Tier::m5 ? 12 : 24));
		cur.after_id = 0;
		if (tier == Tier::m5) {
			// From here on a report older than the window's end marks its bucket dirty: set
			// under the writer's lock, so no append in flight can miss it and our read too.
			std::lock_guard lock(wmu_);
			rolling5_ = std::max(rolling5_.load(), cur.window_end);
		}
	}

	std::vector<std::pair<uint64_t, Rolled>> rolled;
	bool window_done = false;
	int64_t last_id = cur.after_id;
	{
		auto db = readers_.acquire();
		if (!db.ok())
			return db.error();
		auto ids = (*db)->cached("SELECT id FROM servers WHERE id > ? ORDER BY id LIMIT ?");
		if (!ids.ok())
			return ids.error();
		std::vector<int64_t> servers;
		{
			StmtScope scope(**ids);
			(*ids)->bind(1, cur.after_id).bind(2, static_cast<int64_t>(limits.servers_per_step));
			while (true) {
				auto row = (*ids)->step();
				if (!row.ok())
					return row.error();
				if (!*row)
					break;
				servers.push_back((*ids)->i64(0));
			}
		}
		size_t rows = 0;
		window_done = servers.size() < limits.servers_per_step;
		for (size_t i = 0; i < servers.size(); ++i) {
			Rolled r;
			if (auto res =
			        aggregate_source(**db, tier, static_cast<uint64_t>(servers[i]), done, cur.window_end, r);
			    !res.ok())
				return res.error();
			rows += r.rows();
			last_id = servers[i];
			if (!r.main.empty() || !r.dev_by_name.empty() || !r.dev_by_id.empty())
				rolled.emplace_back(static_cast<uint64_t>(servers[i]), std::move(r));
			if (rows >= limits.rows_per_step && i + 1 < servers.size()) {
				window_done = false;
				break;
			}
		}
	}

	std::lock_guard lock(wmu_);
	Tx tx(w_);
	if (auto r = tx.begin(); !r.ok())
		return r.error();
	for (const auto& [server_id, r] : rolled) {
		auto n = write_rolled(tier, server_id, r);
		if (!n.ok())
			return n.error();
		p.buckets += *n;
	}
	if (window_done)
		if (auto r = set_meta_i64(w_, tier == Tier::m5 ? kMeta5m : kMeta1h, cur.window_end); !r.ok())
			return r.error();
	if (auto r = tx.commit(); !r.ok())
		return r.error();
	if (window_done) {
		wm = cur.window_end;
		cur = {};
	} else {
		cur.after_id = last_id;
	}
	return true;
}

Result<bool> SqliteStore::rollup_dirty(Tier tier, int64_t now_ms, const RollupLimits& limits,
                                       RollupProgress& p) {
	std::string_view t = tier == Tier::m5 ? "5m" : "1h";
	int64_t width = tier_width_ms(tier);
	// Recomputed inside one write transaction: no late report can land between the read and the
	// removal of its dirty mark. Steps are small (dirty_per_step buckets).
	std::lock_guard lock(wmu_);
	Tx tx(w_);
	if (auto r = tx.begin(); !r.ok())
		return r.error();
	auto sel = w_.cached(
	    "SELECT server_id, bucket_ms FROM rollup_dirty WHERE tier = ? ORDER BY server_id, bucket_ms "
	    "LIMIT ?");
	if (!sel.ok())
		return sel.error();
	std::vector<std::pair<int64_t, int64_t>> todo;
	{
		StmtScope scope(**sel);
		(*sel)->bind(1, t).bind(2, static_cast<int64_t>(limits.dirty_per_step));
		while (true) {
			auto row = (*sel)->step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			todo.emplace_back((*sel)->i64(0), (*sel)->i64(1));
		}
	}
	if (todo.empty())
		return false;
	auto del = w_.cached("DELETE FROM rollup_dirty WHERE tier = ? AND server_id = ? AND bucket_ms = ?");
	auto up = w_.cached("INSERT OR IGNORE INTO rollup_dirty(tier, server_id, bucket_ms) VALUES('1h', ?, ?)");
	if (!del.ok())
		return del.error();
	if (!up.ok())
		return up.error();
	// Below these, retention may already have deleted part of the source: a recompute would
	// replace a complete bucket with a partial one, so the mark is dropped and the late report
	// stays in the raw tier only.
	int64_t intact_from = now_ms - (tier == Tier::m5 ? opts_.retention.raw_ms : opts_.retention.m5_ms);
	for (auto [server_id, bucket] : todo) {
		(*del)->bind(1, t).bind(2, server_id).bind(3, bucket);
		if (auto res = (*del)->run(); !res.ok())
			return res.error();
		if (bucket < intact_from)
			continue;
		Rolled r;
		if (auto res =
		        aggregate_source(w_, tier, static_cast<uint64_t>(server_id), bucket, bucket + width, r);
		    !res.ok())
			return res.error();
		auto n = write_rolled(tier, static_cast<uint64_t>(server_id), r);
		if (!n.ok())
			return n.error();
		p.buckets += *n;
		// The hour above a recomputed 5-minute bucket is stale too, if it was rolled up already.
		if (tier == Tier::m5 && bucket < wm1h_.load()) {
			(*up)->bind(1, server_id).bind(2, bucket_start(bucket, tier_width_ms(Tier::h1)));
			if (auto res = (*up)->run(); !res.ok())
				return res.error();
		}
	}
	if (auto r = tx.commit(); !r.ok())
		return r.error();
	return true;
}

Result<RollupProgress> SqliteStore::rollup(int64_t now_ms, const RollupLimits& limits_in) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	RollupLimits limits = limits_in;
	limits.servers_per_step = std::max<size_t>(limits.servers_per_step, 1);
	limits.rows_per_step = std::max<size_t>(limits.rows_per_step, 1);
	limits.dirty_per_step = std::max<size_t>(limits.dirty_per_step, 1);
	std::lock_guard job(jmu_);
	{
		std::lock_guard lock(wmu_);
		if (auto r = init_watermarks(now_ms); !r.ok())
			return Err(fmt::format("roll-up: {}", r.error().message));
	}
	RollupProgress p;
	// One step of the first kind of work there is: finer tier first, windows before dirty buckets
	// (a dirty bucket is recomputed only once no window of its tier is half done).
	Result<bool> did = rollup_window(Tier::m5, now_ms, limits, p);
	if (did.ok() && !*did)
		did = rollup_dirty(Tier::m5, now_ms, limits, p);
	if (did.ok() && !*did)
		did = rollup_window(Tier::h1, now_ms, limits, p);
	if (did.ok() && !*did)
		did = rollup_dirty(Tier::h1, now_ms, limits, p);
	if (!did.ok())
		return Err(fmt::format("roll-up: {}", did.error().message));
	p.m5_done_ms = wm5_.load();
	p.h1_done_ms = wm1h_.load();
	int64_t target5 = bucket_start(now_ms - opts_.rollup_grace_ms, tier_width_ms(Tier::m5));
	p.more = p.m5_done_ms < target5 || p.h1_done_ms < bucket_start(p.m5_done_ms, tier_width_ms(Tier::h1));
	if (!p.more && *did) {
		auto db = readers_.acquire();
		if (!db.ok())
			return db.error();
		auto any = (*db)->scalar("SELECT EXISTS (SELECT 1 FROM rollup_dirty)");
		if (!any.ok())
			return any.error();
		p.more = *any != 0;
	}
	return p;
}

// ---- Retention -----------------------------------------------------------------------------

Result<PurgeProgress> SqliteStore::purge(int64_t now_ms, const PurgeLimits& limits) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	std::lock_guard job(jmu_);
	auto p = purge_locked(now_ms, limits);
	if (!p.ok())
		return Err(fmt::format("retention: {}", p.error().message));
	return p;
}

Result<PurgeProgress> SqliteStore::purge_locked(int64_t now_ms, const PurgeLimits& limits) {
	PurgeProgress p;
	int64_t budget = static_cast<int64_t>(std::max<size_t>(limits.rows_per_step, 1));
	std::lock_guard lock(wmu_);
	// Never delete what is not rolled up yet: the roll-up marks bound the raw and 5-minute cuts.
	auto wm5 = meta_i64(w_, kMeta5m);
	auto wm1h = meta_i64(w_, kMeta1h);
	if (!wm5.ok() || !wm1h.ok())
		return (!wm5.ok() ? wm5 : wm1h).error();
	const Retention& ret = opts_.retention;
	int64_t raw_cut = std::min(now_ms - ret.raw_ms, wm5->value_or(0));
	int64_t m5_cut = std::min(now_ms - ret.m5_ms, wm1h->value_or(0));
	int64_t h1_cut = now_ms - ret.h1_ms;
	int64_t w5 = tier_width_ms(Tier::m5), w1h = tier_width_ms(Tier::h1);

	Tx tx(w_);
	if (auto r = tx.begin(); !r.ok())
		return r.error();
	// Deletes up to the remaining budget with one statement; false if the budget ran out.
	auto del = [&](std::string_view sql, auto&& bind) -> Result<bool> {
		auto st = w_.cached(sql);
		if (!st.ok())
			return st.error();
		bind(**st);
		(*st)->bind(3, budget);
		if (auto r = (*st)->run(); !r.ok())
			return r.error();
		int64_t n = w_.changes();
		p.rows += static_cast<uint64_t>(n);
		budget -= n;
		return budget > 0;
	};
	auto range = [&](std::string_view table, int64_t lo, int64_t hi) {
		return del(
		    fmt::format("DELETE FROM {0} WHERE k IN (SELECT k FROM {0} WHERE k >= ?1 AND k < ?2 LIMIT ?3)",
		                table),
		    [&](Stmt& s) { s.bind(1, lo).bind(2, hi); });
	};
	auto devices_of = [&](int64_t server_id) -> Result<std::vector<std::pair<int64_t, int64_t>>> {
		auto st = w_.cached("SELECT id, last_ms FROM devices WHERE server_id = ?");
		if (!st.ok())
			return st.error();
		StmtScope scope(**st);
		(*st)->bind(1, server_id);
		std::vector<std::pair<int64_t, int64_t>> out;
		while (true) {
			auto row = (*st)->step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			out.emplace_back((*st)->i64(0), (*st)->i64(1));
		}
		return out;
	};
	auto drop_device = [&](int64_t id) -> Result<bool> {
		int64_t lo = id << kBucketBits, hi = (id + 1) << kBucketBits;
		for (std::string_view t : {"rollup_dev_5m", "rollup_dev_1h"}) {
			auto r = range(t, lo, hi);
			if (!r.ok() || !*r)
				return r;
		}
		auto st = w_.cached("DELETE FROM devices WHERE id = ?");
		if (!st.ok())
			return st.error();
		(*st)->bind(1, id);
		if (auto r = (*st)->run(); !r.ok())
			return r.error();
		return true;
	};
	auto finish = [&]() -> Result<PurgeProgress> {
		if (auto r = tx.commit(); !r.ok())
			return r.error();
		return p;
	};

	// 1. Data of deleted servers, one server at a time.
	while (true) {
		auto id = w_.cached("SELECT server_id FROM deleted_servers ORDER BY server_id LIMIT 1");
		if (!id.ok())
			return id.error();
		int64_t server_id = 0;
		{
			StmtScope scope(**id);
			auto row = (*id)->step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			server_id = (*id)->i64(0);
		}
		auto ok = del(
		    "DELETE FROM samples WHERE rowid IN (SELECT rowid FROM samples WHERE server_id = ?1 LIMIT ?3)",
		    [&](Stmt& s) { s.bind(1, server_id); });
		if (ok.ok() && *ok)
			ok = range("rollup_5m", server_id << kBucketBits, (server_id + 1) << kBucketBits);
		if (ok.ok() && *ok)
			ok = range("rollup_1h", server_id << kBucketBits, (server_id + 1) << kBucketBits);
		auto devices = devices_of(server_id);
		if (!devices.ok())
			return devices.error();
		for (size_t i = 0; ok.ok() && *ok && i < devices->size(); ++i)
			ok = drop_device((*devices)[i].first);
		if (!ok.ok())
			return ok.error();
		if (!*ok) {
			p.more = true;
			return finish();
		}
		auto done = w_.cached("DELETE FROM deleted_servers WHERE server_id = ?");
		if (!done.ok())
			return done.error();
		(*done)->bind(1, server_id);
		if (auto r = (*done)->run(); !r.ok())
			return r.error();
	}

	// 2. Old rows of every tier, server by server (a chunk of servers per call).
	auto ids = w_.cached("SELECT id FROM servers WHERE id > ? ORDER BY id LIMIT ?");
	if (!ids.ok())
		return ids.error();
	std::vector<int64_t> servers;
	{
		StmtScope scope(**ids);
		(*ids)
		    ->bind(1, purge_after_id_)
		    .bind(2, static_cast<int64_t>(std::max<size_t>(limits.servers_per_step, 1)));
		while (true) {
			auto row = (*ids)->step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			servers.push_back((*ids)->i64(0));
		}
	}
	for (int64_t s : servers) {
		auto ok = del("DELETE FROM samples WHERE rowid IN (SELECT rowid FROM samples WHERE server_id = ?1 "
		              "AND ts_ms < ?2 LIMIT ?3)",
		              [&](Stmt& st) { st.bind(1, s).bind(2, raw_cut); });
		auto owner = static_cast<uint64_t>(s);
		if (ok.ok() && *ok && m5_cut > 0)
			ok = range("rollup_5m", s << kBucketBits, tier_key(owner, bucket_start(m5_cut, w5), w5));
		if (ok.ok() && *ok && h1_cut > 0)
			ok = range("rollup_1h", s << kBucketBits, tier_key(owner, bucket_start(h1_cut, w1h), w1h));
		auto devices = devices_of(s);
		if (!devices.ok())
			return devices.error();
		for (size_t i = 0; ok.ok() && *ok && i < devices->size(); ++i) {
			auto [id, last_ms] = (*devices)[i];
			auto dev_owner = static_cast<uint64_t>(id);
			if (last_ms < h1_cut) { // gone for longer than the longest tier keeps anything
				ok = drop_device(id);
				continue;
			}
			if (m5_cut > 0)
				ok = range("rollup_dev_5m", id << kBucketBits,
				           tier_key(dev_owner, bucket_start(m5_cut, w5), w5));
			if (ok.ok() && *ok && h1_cut > 0)
				ok = range("rollup_dev_1h", id << kBucketBits,
				           tier_key(dev_owner, bucket_start(h1_cut, w1h), w1h));
		}
		if (!ok.ok())
			return ok.error();
		if (!*ok) {
			p.more = true; // resume with this server
			return finish();
		}
		purge_after_id_ = s;
	}
	if (servers.size() >= std::max<size_t>(limits.servers_per_step, 1)) {
		p.more = true;
		return finish();
	}
	purge_after_id_ = 0;

	// 3. Events, finished outbox messages, and dirty marks whose raw data is gone.
	auto ok =
	    del("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE ts_ms < ?1 ORDER BY ts_ms LIMIT ?3)",
	        [&](Stmt& s) { s.bind(1, now_ms - ret.events_ms); });
	if (ok.ok() && *ok)
		ok = del(
		    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE state <> 'queued' AND done_ms < ?1 "
		    "LIMIT ?3)",
		    [&](Stmt& s) { s.bind(1, now_ms - ret.outbox_ms); });
	if (ok.ok() && *ok)
		ok = del("DELETE FROM rollup_dirty WHERE (tier, server_id, bucket_ms) IN (SELECT tier, server_id, "
		         "bucket_ms "
		         "FROM rollup_dirty WHERE tier = '5m' AND bucket_ms < ?1 LIMIT ?3)",
		         [&](Stmt& s) { s.bind(1, now_ms - ret.raw_ms); });
	if (!ok.ok())
		return ok.error();
	p.more = !*ok;
	return finish();
}

// ---- Stats ----------------------------------------------------------------------------------

Result<StoreStats> SqliteStore::stats() {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	StoreStats out;
	out.engine = fmt::format("sqlite {}", sqlite3_libversion());
	out.file_bytes = file_size(opts_.path);
	out.wal_bytes = file_size(opts_.path + "-wal");
	auto v = schema_version();
	if (!v.ok())
		return v.error();
	out.schema_version = *v;
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	auto servers = (*db)->scalar("SELECT count(*) FROM servers");
	if (!servers.ok())
		return servers.error();
	out.servers = static_cast<uint64_t>(*servers);

	// Bytes per table, its indexes included (dbstat: pages actually used by each b-tree).
	std::map<std::string, uint64_t> bytes;
	{
		auto st = (*db)->prepare("SELECT coalesce(s.tbl_name, d.name), sum(d.pgsize) FROM dbstat AS d "
		                         "LEFT JOIN sqlite_schema AS s ON s.name = d.name GROUP BY 1");
		if (!st.ok())
			return st.error();
		while (true) {
			auto row = st->step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			bytes[st->text(0)] = static_cast<uint64_t>(st->i64(1));
		}
	}
	std::vector<std::string> tables;
	{
		auto st = (*db)->prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
		if (!st.ok())
			return st.error();
		while (true) {
			auto row = st->step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			tables.push_back(st->text(0));
		}
	}
	for (const std::string& t : tables) {
		auto rows = (*db)->scalar(fmt::format("SELECT count(*) FROM \"{}\"", t));
		if (!rows.ok())
			return rows.error();
		out.tables.push_back({t, tier_of_table(t), static_cast<uint64_t>(*rows), bytes[t]});
	}

	struct Source {
		Tier tier;
		const char* sql; // servers with data, oldest and newest time
		int64_t retention;
	};
	const Source sources[] = {
	    {Tier::raw, "SELECT count(DISTINCT server_id), min(ts_ms), max(ts_ms) FROM samples",
	     opts_.retention.raw_ms},
	    {Tier::m5, "SELECT count(DISTINCT server_id), min(bucket_ms), max(bucket_ms) FROM rollup_5m",
	     opts_.retention.m5_ms},
	    {Tier::h1, "SELECT count(DISTINCT server_id), min(bucket_ms), max(bucket_ms) FROM rollup_1h",
	     opts_.retention.h1_ms},
	};
	for (const Source& src : sources) {
		TierStats ts;
		ts.tier = src.tier;
		ts.retention_ms = src.retention;
		for (const TableStats& t : out.tables)
			if (t.tier == tier_name(src.tier)) {
				ts.rows += t.rows;
				ts.bytes += t.bytes;
			}
		auto st = (*db)->prepare(src.sql);
		if (!st.ok())
			return st.error();
		auto row = st->step();
		if (!row.ok())
			return row.error();
		ts.servers = static_cast<uint64_t>(st->i64(0));
		if (!st->is_null(1)) {
			// A bucket's data covers its whole width: the span of n buckets is n widths.
			int64_t width = src.tier == Tier::raw ? 0 : tier_width_ms(src.tier);
			ts.span_ms = st->i64(2) - st->i64(1) + width;
		}
		if (ts.servers > 0 && ts.span_ms >= kHourMs)
			ts.bytes_per_server_day = static_cast<double>(ts.bytes) / static_cast<double>(ts.servers) /
			                          (static_cast<double>(ts.span_ms) / static_cast<double>(kDayMs));
		out.tiers.push_back(ts);
	}
	return out;
}

Result<uint64_t> SqliteStore::database_bytes() {
	return file_size(opts_.path) + file_size(opts_.path + "-wal");
}

} // namespace serversan::store::sqlite
