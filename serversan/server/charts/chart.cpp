#include "serversan/server/charts/chart.h"

namespace serversan::charts {

Result<Chart> make_chart(store::Store& store, const ChartRequest& request) {
	auto data = load_chart(store, request);
	if (!data)
		return data.error();
	auto pic = render_chart(*data, request.theme, request.size);
	if (!pic)
		return pic.error();
	return Chart{std::move(*pic), layer_stats(*data), data->empty()};
}

Result<Picture> make_sparkline(store::Store& store, const SparklineRequest& request, Theme theme,
                               const ImageSize& size) {
	auto data = load_sparkline(store, request);
	if (!data)
		return data.error();
	return render_sparkline(*data, theme, size);
}

} // namespace serversan::charts
