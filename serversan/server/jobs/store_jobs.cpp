#include "serversan/server/jobs/store_jobs.h"

#include "serversan/core/log.h"

namespace serversan::jobs {

Result<size_t> cleanup_unused_servers(store::Store& store, int64_t now_ms, std::chrono::milliseconds after) {
	auto deleted = store.delete_unused_servers(now_ms - after.count(), now_ms);
	if (!deleted.ok())
		return deleted.error();
	for (const store::ServerRecord& s : *deleted)
		log::info("deleted server {} \"{}\": added {} min ago and never reported", s.id, s.name,
		          (now_ms - s.created_ms) / store::kMinuteMs);
	return deleted->size();
}

Result<bool> run_rollups(store::Store& store, int64_t now_ms, int steps, const store::RollupLimits& limits) {
	for (int i = 0; i < steps; ++i) {
		auto p = store.rollup(now_ms, limits);
		if (!p.ok())
			return p.error();
		if (!p->more)
			return false;
	}
	return true;
}

Result<bool> run_retention(store::Store& store, int64_t now_ms, int steps, const store::PurgeLimits& limits) {
	for (int i = 0; i < steps; ++i) {
		auto p = store.purge(now_ms, limits);
		if (!p.ok())
			return p.error();
		if (!p->more)
			return false;
	}
	return true;
}

void add_store_jobs(Scheduler& scheduler, store::Store& store, const JobsOptions& o) {
	scheduler.add("unused-servers", o.cleanup_every, [&store, o](int64_t now) -> Result<bool> {
		auto n = cleanup_unused_servers(store, now, o.unused_server_after);
		if (!n.ok())
			return n.error();
		return false;
	});
	scheduler.add("rollups", o.rollup_every, [&store, o](int64_t now) {
		return run_rollups(store, now, o.steps_per_run, o.rollup_limits);
	});
	scheduler.add("retention", o.retention_every, [&store, o](int64_t now) -> Result<bool> {
		// Expired web sessions and login links: few rows, one short transaction.
		if (auto n = store.purge_web_logins(now); !n.ok())
			return n.error();
		return run_retention(store, now, o.steps_per_run, o.purge_limits);
	});
}

} // namespace serversan::jobs
