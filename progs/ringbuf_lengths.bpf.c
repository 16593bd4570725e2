// Ring buffer samples of chosen lengths (1..63 bytes, most not a multiple of 8): sample i is lens[i]
// bytes, each byte equal to i + 1. A reader that rounds lengths wrongly reads the wrong bytes.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} lengths_rb SEC(".maps");

__u32 lens[8] = {};
__u32 emitted = 0;

SEC("syscall")
int emit_lengths(void *ctx)
{
	__u8 buf[64];

	for (int i = 0; i < 8; i++) {
		__u32 len = lens[i] & 63;	// the mask is what the verifier needs to bound the size

		if (len == 0)
			continue;
		__builtin_memset(buf, i + 1, sizeof(buf));
		if (bpf_ringbuf_output(&lengths_rb, buf, len, 0) == 0)
			emitted++;
	}
	return 0;
}
