// Temperatures collector: hwmon sensors (<sys>/class/hwmon/hwmonN/tempK_input, with name and
// tempK_label; on old kernels the attributes sit in hwmonN/device/) and thermal zones
// (<sys>/class/thermal/thermal_zoneN/temp and type). Values are millidegrees Celsius.
//
// Sensor names: "<hwmon name>/<label>" (or "/tempK" without a label), e.g. "coretemp/Package id 0",
// "nvme/Composite"; when two hwmon devices share a name (two NVMe drives) each gets its device's
// name appended: "nvme-nvme1/Composite". Thermal zones: "<type>", or "<type>/zoneN" when types
// repeat. A thermal zone whose type is also an hwmon device's name is left out: the kernel
// exports such zones through hwmon too ("acpitz"), and one reading is enough.
//
// The sensor files are found by discover() (at start, and again when the caller asks: sensors
// come and go with hotplug) and kept open; each round re-reads them with pread. A sensor that
// fails to read (a drive asleep, a disabled GPU) or reads outside -100..200 C is left out of that
// round. A host without sensors (VMs, containers without /sys) reports none.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/agent/collectors/proc_file.h"
#include "serversan/agent/host_paths.h"
#include "serversan/core/report.h"

namespace serversan::agent {

// "45000\n" -> 45.0; nullopt if not an integer or outside -100..200 C.
std::optional<double> parse_millidegrees(std::string_view text);

class TemperatureCollector {
public:
	explicit TemperatureCollector(const HostPaths& paths) : sys_(paths.sys) {}

	void discover();
	// Reads every discovered sensor into out. Discovers first if discover() was never called.
	void collect(std::vector<Temperature>& out);
	size_t sensor_count() const { return sensors_.size(); }

private:
	struct Sensor {
		std::string name;
		ProcFile input;
	};
	std::string sys_;
	bool discovered_ = false;
	std::vector<Sensor> sensors_;
};

} // namespace serversan::agent
