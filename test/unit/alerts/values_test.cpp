// The values a report gives each alert kind.
#include <gtest/gtest.h>

#include "serversan/server/alerts/values.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::alerts;

namespace {

std::vector<std::pair<std::string, double>> of(const std::vector<KindValue>& v, std::string_view kind) {
	std::vector<std::pair<std::string, double>> out;
	for (const auto& kv : v)
		if (kv.kind->name == kind)
			out.emplace_back(std::string(kv.device), kv.value);
	return out;
}

TEST(Values, ServerWideAndPerDevice) {
	Report r = serversan::testing::sample_report(1, 1'764'000'000'000);
	r.load.load1 = 6;
	Filesystem tmp;
	tmp.mount = "/run";
	tmp.type = "tmpfs";
	tmp.total = 100;
	tmp.used = 99;
	r.filesystems.push_back(tmp);
	Filesystem var;
	var.mount = "/var";
	var.type = "xfs";
	var.total = 1000;
	var.used = 950;
	var.inodes_total = 100;
	var.inodes_used = 10;
	r.filesystems.push_back(var);
	NetInterface lo, eth;
	lo.name = "lo";
	lo.rx_bytes_per_s = 1e9;
	eth.name = "eth0";
	eth.rx_bytes_per_s = 5e6;
	eth.tx_bytes_per_s = 1e6;
	r.interfaces = {lo, eth};
	r.temperatures = {{"cpu", 71.5}};
	r.disks.push_back(DiskIo{"sda", {}, {}, {}, {}, 40.0});

	std::vector<KindValue> v;
	report_values(r, 4u, v);
	EXPECT_EQ(of(v, "cpu"), (std::vector<std::pair<std::string, double>>{{"", 16}}));
	EXPECT_EQ(of(v, "ram"), (std::vector<std::pair<std::string, double>>{{"", 12.5}}));
	EXPECT_TRUE(of(v, "swap").empty()); // the report has no swap: absent, not 0 %
	EXPECT_EQ(of(v, "disk"),
	          (std::vector<std::pair<std::string, double>>{{"/", 40}, {"/var", 95}})); // no tmpfs
	EXPECT_EQ(of(v, "inodes"), (std::vector<std::pair<std::string, double>>{{"/var", 10}}));
	EXPECT_EQ(of(v, "load"), (std::vector<std::pair<std::string, double>>{{"", 1.5}}));
	EXPECT_EQ(of(v, "net_in"), (std::vector<std::pair<std::string, double>>{{"eth0", 5e6}})); // no lo
	EXPECT_EQ(of(v, "net_out"), (std::vector<std::pair<std::string, double>>{{"eth0", 1e6}}));
	EXPECT_EQ(of(v, "io"), (std::vector<std::pair<std::string, double>>{{"sda", 40}}));
	EXPECT_EQ(of(v, "temp"), (std::vector<std::pair<std::string, double>>{{"cpu", 71.5}}));
	EXPECT_TRUE(of(v, "offline").empty());

	report_values(r, std::nullopt, v); // cores unknown: no load per core
	EXPECT_TRUE(of(v, "load").empty());
	report_values(Report{}, 4u, v); // an empty report gives nothing
	EXPECT_TRUE(v.empty());
}

} // namespace
