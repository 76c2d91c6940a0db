// The engine's DeliveryGate (engine.h) over the store: at each notice it reads the chat's
// settings, silences and zone (chat_zone.h) and asks delivery.h's decide(). Firing notices and
// reminders go out, wait for the end of quiet hours, or are dropped as decide() says. A
// "resolved" closes what a firing notice opened: it may wait for quiet hours to end but is never
// dropped (a chat muted after the alert fired still learns it is over). A failed read lets the
// notice through: losing an alert is worse than one sent during quiet hours.
#pragma once

#include "serversan/server/alerts/engine.h"

namespace serversan::alerts {

DeliveryGate store_delivery_gate(store::Store& store);

} // namespace serversan::alerts
