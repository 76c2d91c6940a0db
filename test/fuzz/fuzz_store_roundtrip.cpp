// The store's write and read paths on every report the protocol accepts: whatever decode_batch
// lets in, the store must read back without failing (a failure there is a server whose latest()
// and charts break until a newer sample arrives) and without undefined behaviour:
//   - the device blob the store writes decodes, with every device and every value it carries
//     (present stays present: float32 rounding aside, a chart shows what was sent);
//   - the snapshot and the slow sections decode to the report itself;
//   - refresh_report (latest() from the snapshot and the newest sample's columns and blob) gives
//     back the report's byte counts and counters exactly.
#include "fuzz_check.h"
#include "serversan/core/report_decode.h"
#include "serversan/server/store/device_blob.h"
#include "serversan/server/store/metrics.h"
#include "serversan/server/store/stored_report.h"

using namespace serversan;
using namespace serversan::store;

namespace {

void check_devices(const Report& r, const std::vector<DeviceSample>& stored) {
	std::vector<DeviceSample> sent = device_samples(r);
	FUZZ_CHECK(stored.size() == sent.size(), "report {}: {} devices sent, {} stored", r.seq, sent.size(),
	           stored.size());
	for (size_t i = 0; i < sent.size(); ++i) {
		FUZZ_CHECK(stored[i].kind == sent[i].kind && stored[i].name == sent[i].name,
		           "report {}: device {} is '{}'", r.seq, sent[i].name, stored[i].name);
		for (size_t slot = 0; slot < kDeviceSlots; ++slot)
			FUZZ_CHECK(stored[i].values[slot].has_value() == sent[i].values[slot].has_value(),
			           "report {}: device '{}' slot {}: sent {}, stored {}", r.seq, sent[i].name, slot,
			           sent[i].values[slot].value_or(-1), stored[i].values[slot].value_or(-1));
	}
}

template <typename Section>
void check_section(const Report& r, std::string (*encode)(const Report&), Section Report::*member) {
	if (!(r.*member)) {
		FUZZ_CHECK(encode(r).empty(), "report {}: a section it does not carry is stored", r.seq);
		return;
	}
	auto section = [member](const Report& from) { return from.*member; };
	fuzz::check_round_trip(
	    section(r), [&](const auto&) { return encode(r); },
	    [&](std::string_view text) -> Result<Section> {
		    auto back = decode_stored_report(text);
		    if (!back.ok())
			    return back.error();
		    return section(*back);
	    },
	    "a stored section");
}

void check_exact(const char* what, const std::optional<uint64_t>& sent,
                 const std::optional<uint64_t>& latest) {
	FUZZ_CHECK(sent == latest, "{}: sent {}, latest() shows {}", what, sent ? std::to_string(*sent) : "none",
	           latest ? std::to_string(*latest) : "none");
}

void check_report(const Report& r) {
	std::string blob;
	encode_devices(r, blob);
	auto devices = decode_devices(fuzz::as_bytes(blob));
	FUZZ_CHECK(devices.ok(), "report {}: the store refuses its own device blob: {}", r.seq,
	           devices.ok() ? "" : devices.error().message);
	check_devices(r, *devices);

	fuzz::check_round_trip(r, encode_stored_report, decode_stored_report, "the store's snapshot");
	check_section(r, encode_top_cpu, &Report::top_cpu);
	check_section(r, encode_top_memory, &Report::top_memory);
	check_section(r, encode_tcp_states, &Report::tcp_states);

	Report latest = r;
	refresh_report(latest, r.time_ms, r.seq, main_values(r), *devices);
	check_exact("memory.total", r.memory.total, latest.memory.total);
	check_exact("memory.used", r.memory.used, latest.memory.used);
	check_exact("memory.available", r.memory.available, latest.memory.available);
	check_exact("memory.swap_total", r.memory.swap_total, latest.memory.swap_total);
	check_exact("memory.swap_used", r.memory.swap_used, latest.memory.swap_used);
	check_exact("processes.total", r.processes.total, latest.processes.total);
	check_exact("sockets.tcp_established", r.sockets.tcp_established, latest.sockets.tcp_established);
	check_exact("sessions", r.sessions, latest.sessions);
	FUZZ_CHECK(latest.filesystems.size() == r.filesystems.size(), "{} filesystems sent, latest() shows {}",
	           r.filesystems.size(), latest.filesystems.size());
	for (size_t i = 0; i < r.filesystems.size(); ++i) {
		const Filesystem& s = r.filesystems[i];
		const Filesystem& l = latest.filesystems[i];
		check_exact("filesystem used", s.used, l.used);
		check_exact("filesystem total", s.total, l.total);
		check_exact("filesystem inodes_used", s.inodes_used, l.inodes_used);
		check_exact("filesystem inodes_total", s.inodes_total, l.inodes_total);
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
	auto batch = decode_batch(fuzz::as_text(data, size));
	if (!batch.ok())
		return 0;
	for (const Report& r : batch->reports)
		check_report(r);
	return 0;
}
