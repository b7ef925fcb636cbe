/*
 * Helpers shared by the SPF unit tests (check_spf.c, check_spf_inc.c):
 * hand-built LSDBs.
 */
#ifndef SPF_FIXTURE_H
#define SPF_FIXTURE_H

#include "ospfd.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define MASK24		IP(255, 255, 255, 0)
#define HOST		0xffffffffu

#define R1	IP(1, 1, 1, 1)
#define R2	IP(2, 2, 2, 2)
#define R3	IP(3, 3, 3, 3)
#define R4	IP(4, 4, 4, 4)
#define R5	IP(5, 5, 5, 5)

/* Install `lsa` in `db`, dropping the builder's reference. */
static inline void
fixture_install(struct ospf_lsdb *db, struct ospf_lsa *lsa)
{
	ospf_lsa_unref(ospf_lsdb_install(db, lsa));
	ospf_lsa_unref(lsa);
}

static inline void
add_router(struct ospf_lsdb *db, uint32_t id, uint8_t flags,
	   const struct ospf_rtr_link *links, size_t n)
{
	struct ospf_lsa_hdr h = { .type = OSPF_LSA_ROUTER, .id = id,
				  .adv = id, .seq = OSPF_INITIAL_SEQ };

	fixture_install(db, ospf_lsa_build_router(&h, flags, links, n, 0));
}

#endif /* SPF_FIXTURE_H */
