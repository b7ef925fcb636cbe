/*
 * bfd_nb.c: the configuration as data, and its application.
 *
 * A struct bfd_conf is plain data: profiles and peers, each with the
 * settings that were given.  Whoever produces it (bfd_conf.c from a text
 * file today, mgmtd's YANG callbacks tomorrow), bfd_conf_apply() makes
 * the sessions match it: a peer that is new gets a session, a peer that
 * is gone has its session deleted (AdminDown first), and a peer whose
 * effective settings changed is modified in place, through a poll
 * sequence if it is Up, so it does not flap.
 *
 * Effective settings: the defaults, then the profile's, then the peer's
 * own (bfd_conf_resolve()).  A change to a profile therefore reaches
 * every peer that uses it.
 */
#include "config.h"

#include <string.h>

#include "bfdd.h"

WP_MEMTYPE_DEFINE(MT_BFD_CONF, "BFD configuration");

struct bfd_conf *
bfd_conf_new(void)
{
	struct bfd_conf *c = wp_calloc(MT_BFD_CONF, sizeof(*c));

	TAILQ_INIT(&c->profiles);
	TAILQ_INIT(&c->peers);
	c->damp.max_flaps = BFD_DAMP_MAX_FLAPS;
	c->damp.window = BFD_DAMP_WINDOW;
	c->damp.hold_min = BFD_DAMP_HOLD_MIN;
	c->damp.hold_max = BFD_DAMP_HOLD_MAX;
	c->client_grace = BFD_CLIENT_GRACE;
	return c;
}

void
bfd_conf_free(struct bfd_conf *c)
{
	struct bfd_profile_conf *pr;
	struct bfd_peer_conf *pc;

	if (c == NULL)
		return;
	while ((pr = TAILQ_FIRST(&c->profiles)) != NULL) {
		TAILQ_REMOVE(&c->profiles, pr, entry);
		wp_free(MT_BFD_CONF, pr);
	}
	wp_keychains_free(&c->keychains);
	while ((pc = TAILQ_FIRST(&c->peers)) != NULL) {
		TAILQ_REMOVE(&c->peers, pc, entry);
		wp_free(MT_BFD_CONF, pc);
	}
	wp_free(MT_BFD_CONF, c);
}

struct bfd_profile_conf *
bfd_conf_profile_find(const struct bfd_conf *c, const char *name)
{
	struct bfd_profile_conf *pr;

	if (c == NULL)
		return NULL;
	TAILQ_FOREACH(pr, &c->profiles, entry)
		if (strcmp(pr->name, name) == 0)
			return pr;
	return NULL;
}

struct bfd_peer_conf *
bfd_conf_peer_find(const struct bfd_conf *c, const struct bfd_key *key)
{
	struct bfd_peer_conf *pc;

	if (c == NULL)
		return NULL;
	TAILQ_FOREACH(pc, &c->peers, entry)
		if (bfd_key_eq(&pc->key, key))
			return pc;
	return NULL;
}

/* Copy the fields `src` sets over `dst`. */
static void
params_merge(struct bfd_params *dst, const struct bfd_params *src)
{
	uint32_t set = src->set;

	if (set & BFD_P_DETECT_MULT)
		dst->detect_mult = src->detect_mult;
	if (set & BFD_P_RX)
		dst->rx_ms = src->rx_ms;
	if (set & BFD_P_TX)
		dst->tx_ms = src->tx_ms;
	if (set & BFD_P_ECHO_MODE)
		dst->echo_mode = src->echo_mode;
	if (set & BFD_P_ECHO_RX)
		dst->echo_rx_ms = src->echo_rx_ms;
	if (set & BFD_P_ECHO_TX)
		dst->echo_tx_ms = src->echo_tx_ms;
	if (set & BFD_P_MIN_TTL)
		dst->min_ttl = src->min_ttl;
	if (set & BFD_P_PASSIVE)
		dst->passive = src->passive;
	if (set & BFD_P_SHUTDOWN)
		dst->shutdown = src->shutdown;
	if (set & BFD_P_AUTH)
		dst->auth = src->auth;
	dst->set |= set;
}

void
bfd_conf_resolve(const struct bfd_conf *c, const struct bfd_peer_conf *pc,
		 struct bfd_params *out)
{
	const struct bfd_profile_conf *pr = NULL;

	bfd_params_default(out);
	if (pc->profile[0])
		pr = bfd_conf_profile_find(c, pc->profile);
	if (pr)
		params_merge(out, &pr->p);
	params_merge(out, &pc->p);
}

static bool
params_eq(const struct bfd_params *a, const struct bfd_params *b)
{
	return a->detect_mult == b->detect_mult && a->rx_ms == b->rx_ms &&
	       a->tx_ms == b->tx_ms && a->echo_mode == b->echo_mode &&
	       a->echo_rx_ms == b->echo_rx_ms &&
	       a->echo_tx_ms == b->echo_tx_ms && a->min_ttl == b->min_ttl &&
	       a->passive == b->passive && a->shutdown == b->shutdown &&
	       a->auth.type == b->auth.type &&
	       a->auth.key_id == b->auth.key_id &&
	       a->auth.key_len == b->auth.key_len &&
	       memcmp(a->auth.key, b->auth.key, a->auth.key_len) == 0 &&
	       strcmp(a->auth.key_chain, b->auth.key_chain) == 0;
}

void
bfd_conf_apply(struct bfd_global *bg, const struct bfd_conf *old,
	       struct bfd_conf *new)
{
	struct bfd_session *s, *next;
	struct bfd_peer_conf *pc;
	struct bfd_params p;
	char kb[160];
	unsigned int added = 0, changed = 0, removed = 0;

	bg->damp = new->damp;
	bg->grace = new->client_grace;
	/* First: new sessions sign their first packets with its keys. */
	bg->conf = new;
	/* Gone from the configuration. */
	for (s = TAILQ_FIRST(&bg->sessions); s; s = next) {
		next = TAILQ_NEXT(s, entry);
		if (!s->configured || bfd_conf_peer_find(new, &s->key))
			continue;
		removed++;
		bfd_session_delete(s);
	}
	TAILQ_FOREACH(pc, &new->peers, entry) {
		bfd_conf_resolve(new, pc, &p);
		if (pc->profile[0] && !bfd_conf_profile_find(new, pc->profile))
			wp_log_warnx("peer %s: profile %s is not configured",
				     bfd_key_fmt(&pc->key, kb, sizeof(kb)),
				     pc->profile);
		s = bfd_session_find(bg, &pc->key);
		if (s == NULL) {
			s = bfd_session_new(bg, &pc->key, &p);
			added++;
		} else if (!params_eq(&s->p, &p)) {
			bfd_session_set_params(s, &p);
			changed++;
		} else {
			s->p.set = p.set;
		}
		s->configured = true;
		snprintf(s->profile, sizeof(s->profile), "%s", pc->profile);
	}
	if (old)
		wp_log_info("configuration applied: %u peers added, %u "
			    "changed, %u removed", added, changed, removed);
}

int
bfd_conf_reload(struct bfd_global *bg)
{
	struct bfd_conf *old = bg->conf, *new;
	char err[512];

	if (bg->config_file == NULL)
		return 0;
	new = bfd_conf_parse_file(bg->config_file, err, sizeof(err));
	if (new == NULL) {
		wp_log_errx("configuration not reloaded: %s", err);
		return -1;
	}
	bfd_conf_apply(bg, old, new);
	bfd_conf_free(old);
	return 0;
}
