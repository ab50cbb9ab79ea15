/*
 * fuzz_sockets_parse.c - a datagram read from NETLINK_SOCK_DIAG is walked
 * by hand (sockets.c): whatever its bytes, the walk must stay inside them,
 * never crash, and report each listed socket or a clear error.
 *
 * The bytes are copied to a fresh allocation of their exact size so that
 * ASan catches a read one past the end, and aligned as recvmsg() leaves
 * them.  Sequence number 1 is the request being answered, as in the seed
 * corpus (tests/fuzz/corpus/fuzz_sockets_parse/, real kernel replies).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "machine/portspec.h"
#include "machine/sockets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msock_list out = {0};
	char addr[64];
	void *buf = malloc(size ? size : 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	if (sockets_parse(buf, size, 1, PROTO_TCP, &out) >= 0)
		for (size_t i = 0; i < out.n; i++)
			sockets_addr_str(&out.v[i], addr, sizeof(addr));
	sockets_free(&out);
	free(buf);
	return 0;
}
