// The jobs role's work on the store: unused-server cleanup, roll-ups and retention, each a small
// function of (store, now) so tests call them directly on a moved clock, plus add_store_jobs()
// that puts them on a Scheduler with their periods.
//
// Other roles add their own periodic work to the same Scheduler (the alerts issue adds its offline
// sweep there with scheduler.add("offline-sweep", ...)); nothing here waits for it.
#pragma once

#include <chrono>
#include <cstdint>

#include "serversan/core/result.h"
#include "serversan/server/jobs/scheduler.h"
#include "serversan/server/store/store.h"

namespace serversan::jobs {

struct JobsOptions {
	// The seed's rule: a server added but never reported is deleted after this long.
	std::chrono::milliseconds unused_server_after = std::chrono::minutes(30);
	std::chrono::milliseconds cleanup_every = std::chrono::minutes(1);
	std::chrono::milliseconds rollup_every = std::chrono::minutes(1);
	std::chrono::milliseconds retention_every = std::chrono::minutes(10);
	// Store steps (each one short write transaction) per run before other jobs get a turn.
	int steps_per_run = 50;
	store::RollupLimits rollup_limits;
	store::PurgeLimits purge_limits;
};

// Deletes servers added more than `after` before now that never reported, each with a
// store::kEventServerDeletedUnused event the bot turns into a message to the owner. Returns how
// many were deleted.
Result<size_t> cleanup_unused_servers(store::Store& store, int64_t now_ms, std::chrono::milliseconds after);

// Up to `steps` roll-up steps; true if more work remains.
Result<bool> run_rollups(store::Store& store, int64_t now_ms, int steps, const store::RollupLimits& limits);
// Up to `steps` retention steps; true if more work remains.
Result<bool> run_retention(store::Store& store, int64_t now_ms, int steps, const store::PurgeLimits& limits);

// Adds "unused-servers", "rollups" and "retention" (which also purges expired web sessions and
// login links) to the scheduler. The store must outlive it.
void add_store_jobs(Scheduler& scheduler, store::Store& store, const JobsOptions& options);

} // namespace serversan::jobs
