#include "serversan/server/store/device_blob.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include <fmt/format.h>

namespace serversan::store {

namespace {

void put_varint(std::string& out, uint64_t v) {
	while (v >= 0x80) {
		out.push_back(static_cast<char>((v & 0x7f) | 0x80));
		v >>= 7;
	}
	out.push_back(static_cast<char>(v));
}

void put_f32(std::string& out, double v) {
	uint32_t bits = std::bit_cast<uint32_t>(static_cast<float>(v));
	for (int i = 0; i < 4; ++i)
		out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

// Integer slots hold counts taken from uint64 fields: exact up to 2^53 (the decoder's bound).
// Anything else (negative, not finite, above the bound) cannot come from a decoded report and is
// left out rather than stored and then dropped by the reader (stored_count in metrics.h).
bool integer_ok(double v) {
	return std::isfinite(v) && v >= 0 && v <= static_cast<double>(kMaxExactValue);
}

// The other slots are narrowed to float32: a finite double beyond its range would become an
// infinity that decode_devices refuses, costing every device of the sample. The decoder's bound
// (2^53) keeps reports far below it; a value that still gets here is left out.
bool float_ok(double v) {
	return std::isfinite(v) && std::fabs(v) <= std::numeric_limits<float>::max();
}

template <typename Values>
void put_device(std::string& out, DeviceKind kind, std::string_view name, const Values& values) {
	if (name.empty())
		return;
	if (name.size() > kMaxStringBytes)
		name = name.substr(0, kMaxStringBytes);
	uint8_t mask = 0;
	for (size_t i = 0; i < kDeviceSlots; ++i) {
		const std::optional<double>& v = values[i];
		if (!v)
			continue;
		if (device_slot_is_integer(kind, i) ? integer_ok(*v) : float_ok(*v))
			mask = static_cast<uint8_t>(mask | (1u << i));
	}
	out.push_back(static_cast<char>(kind));
	put_varint(out, name.size());
	out.append(name);
	out.push_back(static_cast<char>(mask));
	for (size_t i = 0; i < kDeviceSlots; ++i) {
		if (!(mask & (1u << i)))
			continue;
		if (device_slot_is_integer(kind, i))
			put_varint(out, static_cast<uint64_t>(*values[i]));
		else
			put_f32(out, *values[i]);
	}
}

template <typename T>
std::optional<double> d(const std::optional<T>& v) {
	return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

std::optional<double> sum2(const std::optional<uint64_t>& a, const std::optional<uint64_t>& b) {
	if (!a && !b)
		return std::nullopt;
	return static_cast<double>(a.value_or(0)) + static_cast<double>(b.value_or(0));
}

class Reader {
public:
	explicit Reader(std::span<const uint8_t> b) : b_(b) {}
	bool done() const { return pos_ >= b_.size(); }
	Result<uint8_t> byte() {
		if (pos_ >= b_.size())
			return Err("truncated");
		return b_[pos_++];
	}
	Result<uint64_t> varint() {
		uint64_t v = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			auto c = byte();
			if (!c.ok())
				return c.error();
			v |= static_cast<uint64_t>(*c & 0x7f) << shift;
			if (!(*c & 0x80))
				return v;
		}
		return Err("varint too long");
	}
	Result<float> f32() {
		if (b_.size() - pos_ < 4)
			return Err("truncated");
		uint32_t bits = 0;
		for (int i = 0; i < 4; ++i)
			bits |= static_cast<uint32_t>(b_[pos_ + static_cast<size_t>(i)]) << (8 * i);
		pos_ += 4;
		return std::bit_cast<float>(bits);
	}
	Result<std::string> bytes(size_t n) {
		if (b_.size() - pos_ < n)
			return Err("truncated");
		std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
		pos_ += n;
		return s;
	}
	size_t pos() const { return pos_; }

private:
	std::span<const uint8_t> b_;
	size_t pos_ = 0;
};

} // namespace

void encode_devices(const Report& r, std::string& out) {
	out.clear();
	if (r.filesystems.empty() && r.disks.empty() && r.interfaces.empty() && r.temperatures.empty())
		return;
	out.push_back(static_cast<char>(kDeviceBlobVersion));
	using V = std::array<std::optional<double>, kDeviceSlots>;
	for (const Filesystem& f : r.filesystems)
		put_device(out, DeviceKind::filesystem, f.mount,
		           V{d(f.used), d(f.total), d(f.inodes_used), d(f.inodes_total), std::nullopt, std::nullopt});
	for (const DiskIo& k : r.disks)
		put_device(out, DeviceKind::disk, k.device,
		           V{k.read_bytes_per_s, k.write_bytes_per_s, k.reads_per_s, k.writes_per_s, k.busy_percent,
		             std::nullopt});
	for (const NetInterface& n : r.interfaces)
		put_device(out, DeviceKind::interface, n.name,
		           V{n.rx_bytes_per_s, n.tx_bytes_per_s, n.rx_packets_per_s, n.tx_packets_per_s,
		             sum2(n.rx_errors, n.tx_errors), sum2(n.rx_drops, n.tx_drops)});
	for (const Temperature& t : r.temperatures)
		put_device(out, DeviceKind::temperature, t.sensor,
		           V{t.celsius, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
}

void encode_devices(std::span<const DeviceSample> devices, std::string& out) {
	out.clear();
	if (devices.empty())
		return;
	out.push_back(static_cast<char>(kDeviceBlobVersion));
	for (const DeviceSample& s : devices)
		put_device(out, s.kind, s.name, s.values);
}

Result<std::vector<DeviceSample>> decode_devices(std::span<const uint8_t> blob) {
	std::vector<DeviceSample> out;
	if (blob.empty())
		return out;
	Reader in(blob);
	auto version = in.byte();
	if (*version != kDeviceBlobVersion)
		return Err(fmt::format("device data: unknown format version {}", *version));
	while (!in.done()) {
		auto fail = [&](const Error& e) {
			return Err(fmt::format("device data: {} at byte {}", e.message, in.pos()));
		};
		auto kind = in.byte();
		if (!kind.ok())
			return fail(kind.error());
		if (*kind < 1 || *kind > 4)
			return fail(Err(fmt::format("unknown device kind {}", *kind)));
		auto len = in.varint();
		if (!len.ok())
			return fail(len.error());
		if (*len == 0 || *len > kMaxStringBytes)
			return fail(Err(fmt::format("bad name length {}", *len)));
		auto name = in.bytes(static_cast<size_t>(*len));
		if (!name.ok())
			return fail(name.error());
		auto mask = in.byte();
		if (!mask.ok())
			return fail(mask.error());
		if (*mask >> kDeviceSlots)
			return fail(Err("bad presence mask"));
		DeviceSample s;
		s.kind = static_cast<DeviceKind>(*kind);
		s.name = std::move(*name);
		for (size_t i = 0; i < kDeviceSlots; ++i) {
			if (!(*mask & (1u << i)))
				continue;
			if (device_slot_is_integer(s.kind, i)) {
				auto v = in.varint();
				if (!v.ok())
					return fail(v.error());
				s.values[i] = static_cast<double>(*v);
			} else {
				auto v = in.f32();
				if (!v.ok())
					return fail(v.error());
				if (!std::isfinite(*v))
					return fail(Err("value not finite"));
				s.values[i] = static_cast<double>(*v);
			}
		}
		out.push_back(std::move(s));
	}
	return out;
}

} // namespace serversan::store
