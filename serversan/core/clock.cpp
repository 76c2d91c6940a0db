#include "serversan/core/clock.h"

namespace serversan {

const SystemClock& SystemClock::instance() {
	static const SystemClock clock;
	return clock;
}

} // namespace serversan
