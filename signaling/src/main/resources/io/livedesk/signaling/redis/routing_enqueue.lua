-- RoutingStore.enqueue. ARGV: tag, then the arguments of enqueue_request (routing_queue.lua).
return (enqueue_request({ unpack(ARGV, 2, 15) }))
