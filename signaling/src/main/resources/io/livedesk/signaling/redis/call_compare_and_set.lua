-- CallStore.compareAndSet. ARGV: tag, then the arguments of call_compare_and_set (call_common.lua).
return call_compare_and_set(unpack(ARGV, 2, 11))
