/*
 * wp_bfd: the message types of bfdd's client API (lib/proto/bfd.proto),
 * spoken on <rundir>/bfdd.sock.  doc/bfd.md describes the exchange.
 */
#ifndef WP_BFD_H
#define WP_BFD_H

#define WP_BFD_SOCK_NAME	"bfdd.sock"

enum wp_bfd_type {
	WP_BFD_PEER_REGISTER = 0x0801,		/* Wp__Bfd__PeerRegister */
	WP_BFD_PEER_DEREGISTER = 0x0802,	/* Wp__Bfd__PeerDeregister */
	WP_BFD_REGISTER_DONE = 0x0803,		/* Wp__Bfd__RegisterDone */
	WP_BFD_PEER_STATUS = 0x0804,		/* Wp__Bfd__PeerStatus */
};

#endif /* WP_BFD_H */
