/*
 * bfd_client.c: bfdd.sock, the API other daemons use to ask for BFD
 * sessions and hear about their state.
 */
#include "config.h"

#include "bfdd.h"

WP_MEMTYPE_DEFINE(MT_BFD_CLIENT, "BFD client");

int
bfd_client_init(struct bfd_global *bg)
{
	return 0;
}

void
bfd_client_fini(struct bfd_global *bg)
{
}

void
bfd_client_notify(struct bfd_session *s)
{
}

void
bfd_client_names(const struct bfd_session *s, char *buf, size_t len)
{
	if (len)
		buf[0] = '\0';
}
