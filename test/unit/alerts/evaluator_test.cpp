// The evaluator on sample times alone: windows, hysteresis, too few samples, late samples.
#include <gtest/gtest.h>

#include "serversan/server/alerts/evaluator.h"

using namespace serversan::alerts;

namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t T0 = 1'764'000'000'000;

Condition cpu_rule() { // > 90 for 10 minutes, clears below 80
	return {true, 90, 80, 10 * kMin};
}

struct Feed {
	WindowState s;
	Condition c = cpu_rule();
	int64_t t = T0;
	std::vector<Transition> seen;
	Step feed(double v, int64_t step_ms = kMin) {
		t += step_ms;
		Step st = evaluate(s, c, {t, v}, kMin);
		if (st.transition != Transition::none)
			seen.push_back(st.transition);
		return st;
	}
	int fired() const { return static_cast<int>(std::count(seen.begin(), seen.end(), Transition::fired)); }
};

TEST(Evaluator, ShorterThanTheWindowDoesNotFire) {
	Feed r;
	for (int i = 0; i < 12; ++i)
		r.feed(20);
	for (int i = 0; i < 5; ++i) // 5 minutes at 99 %: the 10-minute average stays ~60 %
		r.feed(99);
	for (int i = 0; i < 12; ++i)
		r.feed(20);
	EXPECT_EQ(r.fired(), 0);
	EXPECT_EQ(r.s.phase, Phase::ok);
	EXPECT_EQ(r.seen.front(), Transition::pending); // the first breaching sample
}

TEST(Evaluator, AWholeWindowOverFiresOnceAndResolvesBelowTheClearLevel) {
	Feed r;
	for (int i = 0; i < 9; ++i)
		r.feed(95);
	EXPECT_EQ(r.fired(), 1); // 9 samples of 95: enough to decide (>= 8.33)
	EXPECT_EQ(r.s.phase, Phase::firing);
	r.seen.clear();
	for (int i = 0; i < 30; ++i)
		r.feed(95);
	EXPECT_TRUE(r.seen.empty()); // fires once, stays firing
	for (int i = 0; i < 10; ++i)
		r.feed(85); // below the threshold, above the clear level: still firing
	EXPECT_EQ(r.s.phase, Phase::firing);
	for (int i = 0; i < 10; ++i)
		r.feed(70);
	EXPECT_EQ(r.s.phase, Phase::ok);
	EXPECT_EQ(r.seen, (std::vector<Transition>{Transition::resolved}));
}

TEST(Evaluator, FiresWhenTheWindowFirstHoldsEnoughSamples) {
	Feed r;
	std::vector<Step> steps;
	for (int i = 0; i < 9; ++i)
		steps.push_back(r.feed(95));
	EXPECT_EQ(steps[7].transition, Transition::none); // 8 samples < 10 / 1.2
	EXPECT_FALSE(steps[7].decided);
	EXPECT_EQ(steps[8].transition, Transition::fired);
	EXPECT_EQ(r.s.since_ms, T0 + kMin); // the breach began with the first sample
}

TEST(Evaluator, AValueHoveringAtTheLineDoesNotFlap) {
	Feed r;
	for (int i = 0; i < 12; ++i)
		r.feed(95);
	ASSERT_EQ(r.fired(), 1);
	for (int i = 0; i < 200; ++i) // 88..92 around the threshold for over three hours
		r.feed(i % 2 ? 92 : 88);
	EXPECT_EQ(r.fired(), 1);
	EXPECT_EQ(r.s.phase, Phase::firing);
	EXPECT_EQ(std::count(r.seen.begin(), r.seen.end(), Transition::resolved), 0);

	Feed quiet; // and from ok, hovering never fires: the average stays at 90, not above
	for (int i = 0; i < 200; ++i)
		quiet.feed(i % 2 ? 92 : 88);
	EXPECT_EQ(quiet.fired(), 0);
}

TEST(Evaluator, TooFewSamplesInTheWindowDecideNothing) {
	Feed r;
	for (int i = 0; i < 20; ++i) // one sample every 3 minutes: 3-4 in 10 minutes, 9 needed
		r.feed(99, 3 * kMin);
	EXPECT_EQ(r.fired(), 0);
	EXPECT_EQ(r.s.phase, Phase::pending);
	// A firing alert with a gap in its data stays firing until a full window says otherwise.
	Feed f;
	for (int i = 0; i < 12; ++i)
		f.feed(99);
	ASSERT_EQ(f.s.phase, Phase::firing);
	f.feed(10, 30 * kMin);
	f.feed(10);
	EXPECT_EQ(f.s.phase, Phase::firing);
	for (int i = 0; i < 9; ++i)
		f.feed(10);
	EXPECT_EQ(f.s.phase, Phase::ok);
}

TEST(Evaluator, BelowRulesAndOlderSamples) {
	Feed r;
	r.c = {false, 10, 15, 0}; // "<" 10 at once, clears above 15
	EXPECT_EQ(r.feed(5).transition, Transition::fired);
	EXPECT_EQ(r.feed(12).transition, Transition::none);
	EXPECT_EQ(r.feed(16).transition, Transition::resolved);
	// A sample not newer than the newest is ignored.
	Step late = evaluate(r.s, r.c, {r.t - kMin, 1}, kMin);
	EXPECT_EQ(late.transition, Transition::none);
	EXPECT_EQ(r.s.phase, Phase::ok);
}

TEST(Evaluator, SamplesNeeded) {
	EXPECT_EQ(samples_needed(0, kMin), 1u);
	EXPECT_EQ(samples_needed(10 * kMin, kMin), 9u); // 8.33 up
	EXPECT_EQ(samples_needed(5 * kMin, 10'000), 25u);
	EXPECT_EQ(samples_needed(kMin, 5 * kMin), 1u);
}

} // namespace
