# Project code builds with warnings as errors; third-party headers come in as SYSTEM includes.
function(serversan_warnings target)
	target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor
		-Wno-missing-field-initializers)
endfunction()
