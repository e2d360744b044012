"""Partnership changes of value chains (workflow ``partnership_change``): joins, leaves and a new
lead partner, acknowledged by the Region; and the chains left below their call's minimum of
firms with a seat in Lombardy, with the time the Region gives them."""
