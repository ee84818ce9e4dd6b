-- RoutingStore.callEnded. ARGV: tag, staff id, now.
lower_load(ARGV[2], ARGV[3])
return 0
