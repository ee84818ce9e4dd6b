-- CallStore.create. ARGV: tag, then the arguments of create_call (call_common.lua).
return create_call(unpack(ARGV, 2, 11))
