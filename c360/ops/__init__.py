"""Running by itself: scheduled loads from landing folders, alerts on the seed's SLAs, worker metrics,
and the live simulation that feeds them."""
