#include "serversan/server/alerts/evaluator.h"

#include <algorithm>
#include <cmath>

#include "serversan/server/alerts/rule_catalog.h"

namespace serversan::alerts {

std::string_view phase_name(Phase p) {
	switch (p) {
	case Phase::ok:
		return "ok";
	case Phase::pending:
		return "pending";
	case Phase::firing:
		return "firing";
	}
	return "ok";
}

std::optional<Phase> phase_from_name(std::string_view name) {
	for (Phase p : {Phase::ok, Phase::pending, Phase::firing})
		if (phase_name(p) == name)
			return p;
	return std::nullopt;
}

void Window::push(Sample s) {
	buf_.push_back(s);
	sum_ += s.value;
}

void Window::drop_front() {
	sum_ -= buf_[head_].value;
	++head_;
	if (head_ == buf_.size()) {
		clear();
	} else if (head_ * 2 >= buf_.size()) {
		// Compact, and sum afresh so the running sum's rounding never accumulates.
		buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(head_));
		head_ = 0;
		sum_ = 0;
		for (const Sample& x : buf_)
			sum_ += x.value;
	}
}

void Window::clear() {
	buf_.clear();
	head_ = 0;
	sum_ = 0;
}

Condition condition_of(const store::AlertRule& rule) {
	return {rule.op != "<", rule.threshold, clear_level(rule), std::max<int64_t>(rule.for_s, 0) * 1000};
}

size_t samples_needed(int64_t for_ms, int64_t interval_ms) {
	if (for_ms <= 0 || interval_ms <= 0)
		return 1;
	double n = static_cast<double>(for_ms) / static_cast<double>(interval_ms) / 1.2;
	return std::max<size_t>(1, static_cast<size_t>(std::ceil(n)));
}

Step evaluate(WindowState& s, const Condition& c, Sample sample, int64_t interval_ms) {
	Step out;
	if (s.last_ms != 0 && sample.ts_ms <= s.last_ms) {
		out.samples = s.samples.size();
		return out;
	}
	s.last_ms = sample.ts_ms;
	s.samples.push(sample);
	// for_ms 0 keeps the newest sample only.
	while (s.samples.size() > 1 && s.samples.front().ts_ms <= sample.ts_ms - c.for_ms)
		s.samples.drop_front();
	out.samples = s.samples.size();
	out.decided = out.samples >= samples_needed(c.for_ms, interval_ms);
	if (out.decided)
		out.average = s.samples.average();
	auto breaches = [&](double v) { return c.above ? v > c.threshold : v < c.threshold; };
	auto clears = [&](double v) { return c.above ? v < c.clear : v > c.clear; };
	const bool fire = out.average && breaches(*out.average);
	switch (s.phase) {
	case Phase::ok:
	case Phase::pending:
		if (fire) {
			// The breach began with the window's first sample, or earlier if it was pending.
			int64_t began = s.samples.front().ts_ms;
			if (s.phase == Phase::pending)
				began = std::min(began, s.since_ms);
			s.phase = Phase::firing;
			s.since_ms = began;
			out.transition = Transition::fired;
		} else if (breaches(sample.value)) {
			if (s.phase == Phase::ok) {
				s.phase = Phase::pending;
				s.since_ms = sample.ts_ms;
				out.transition = Transition::pending;
			}
		} else if (s.phase == Phase::pending) {
			s.phase = Phase::ok;
			s.since_ms = sample.ts_ms;
			out.transition = Transition::cancelled;
		}
		break;
	case Phase::firing:
		if (out.average && clears(*out.average)) {
			s.phase = Phase::ok;
			s.since_ms = sample.ts_ms;
			out.transition = Transition::resolved;
		}
		break;
	}
	return out;
}

} // namespace serversan::alerts
