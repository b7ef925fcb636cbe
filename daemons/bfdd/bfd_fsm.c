/*
 * bfd_fsm.c: the session state machine of RFC 5880 §6.2, with the
 * transitions spelled out in the reception procedure (§6.8.6), the
 * detection timer (§6.8.4) and administrative control (§6.8.16).
 *
 * One row per (state, event): what to do and the state after.  A
 * received packet is an event named after the State field it carries.
 * bfd_fsm() looks the row up, logs "old -> event -> new" and hands the
 * transition to bfd_session_transition(), which owns timers, history and
 * client notifications.  The FSM itself touches nothing else, so the
 * unit tests run the table against a stub.
 */
#include "config.h"

#include "bfdd.h"

WP_DEBUG_DEFINE(DBG_BFD_FSM, "bfd fsm");

const char *const bfd_state_names[BFD_STA_MAX] = {
	[BFD_STA_ADMIN_DOWN] = "admin-down",
	[BFD_STA_DOWN] = "down",
	[BFD_STA_INIT] = "init",
	[BFD_STA_UP] = "up",
};

const char *const bfd_event_names[BFD_EVT_MAX] = {
	[BFD_EVT_RX_ADMIN_DOWN] = "rx admin-down",
	[BFD_EVT_RX_DOWN] = "rx down",
	[BFD_EVT_RX_INIT] = "rx init",
	[BFD_EVT_RX_UP] = "rx up",
	[BFD_EVT_TIMER] = "detection timer expired",
	[BFD_EVT_ECHO_TIMER] = "echo detection timer expired",
	[BFD_EVT_ADMIN_DOWN] = "shutdown",
	[BFD_EVT_ADMIN_UP] = "no shutdown",
};

const char *const bfd_action_names[BFD_ACT_MAX] = {
	[BFD_ACT_NONE] = "none",
	[BFD_ACT_INIT] = "init",
	[BFD_ACT_UP] = "up",
	[BFD_ACT_DOWN_NBR] = "down (neighbor)",
	[BFD_ACT_DOWN_TIMER] = "down (timer)",
	[BFD_ACT_DOWN_ECHO] = "down (echo)",
	[BFD_ACT_ADMIN_DOWN] = "admin-down",
	[BFD_ACT_ENABLE] = "enable",
};

/* §4.1 */
static const char *const diag_names[BFD_DIAG_MAX] = {
	[BFD_DIAG_NONE] = "ok",
	[BFD_DIAG_CTL_EXPIRED] = "control detection time expired",
	[BFD_DIAG_ECHO_FAILED] = "echo function failed",
	[BFD_DIAG_NBR_DOWN] = "neighbor signaled session down",
	[BFD_DIAG_FWD_RESET] = "forwarding plane reset",
	[BFD_DIAG_PATH_DOWN] = "path down",
	[BFD_DIAG_CONCAT_DOWN] = "concatenated path down",
	[BFD_DIAG_ADMIN_DOWN] = "administratively down",
	[BFD_DIAG_REV_CONCAT_DOWN] = "reverse concatenated path down",
};

/* State names for the table only. */
#define AD	BFD_STA_ADMIN_DOWN
#define DN	BFD_STA_DOWN
#define IN	BFD_STA_INIT
#define UP	BFD_STA_UP

/*
 * The table.  Reception (§6.8.6): in AdminDown every packet is discarded;
 * a remote AdminDown takes any other state to Down with diag 3; in Down,
 * remote Down -> Init and remote Init -> Up; in Init, remote Init or Up
 * -> Up; in Up, remote Down -> Down with diag 3.  The detection timer
 * takes Init and Up to Down with diag 1 (§6.8.4); the echo detection
 * timer, which runs only while Up, with diag 2 (§6.8.5).
 */
static const struct bfd_fsm_row fsm_table[] = {
	/* state, event,		action,			next */
	/* AdminDown: only "no shutdown" moves it */
	{ AD, BFD_EVT_RX_ADMIN_DOWN,	BFD_ACT_NONE,		AD },
	{ AD, BFD_EVT_RX_DOWN,		BFD_ACT_NONE,		AD },
	{ AD, BFD_EVT_RX_INIT,		BFD_ACT_NONE,		AD },
	{ AD, BFD_EVT_RX_UP,		BFD_ACT_NONE,		AD },
	{ AD, BFD_EVT_TIMER,		BFD_ACT_NONE,		AD },
	{ AD, BFD_EVT_ECHO_TIMER,	BFD_ACT_NONE,		AD },
	{ AD, BFD_EVT_ADMIN_DOWN,	BFD_ACT_NONE,		AD },
	{ AD, BFD_EVT_ADMIN_UP,		BFD_ACT_ENABLE,		DN },

	{ DN, BFD_EVT_RX_ADMIN_DOWN,	BFD_ACT_NONE,		DN },
	{ DN, BFD_EVT_RX_DOWN,		BFD_ACT_INIT,		IN },
	{ DN, BFD_EVT_RX_INIT,		BFD_ACT_UP,		UP },
	{ DN, BFD_EVT_RX_UP,		BFD_ACT_NONE,		DN },
	{ DN, BFD_EVT_TIMER,		BFD_ACT_NONE,		DN },
	{ DN, BFD_EVT_ECHO_TIMER,	BFD_ACT_NONE,		DN },
	{ DN, BFD_EVT_ADMIN_DOWN,	BFD_ACT_ADMIN_DOWN,	AD },
	{ DN, BFD_EVT_ADMIN_UP,		BFD_ACT_NONE,		DN },

	{ IN, BFD_EVT_RX_ADMIN_DOWN,	BFD_ACT_DOWN_NBR,	DN },
	{ IN, BFD_EVT_RX_DOWN,		BFD_ACT_NONE,		IN },
	{ IN, BFD_EVT_RX_INIT,		BFD_ACT_UP,		UP },
	{ IN, BFD_EVT_RX_UP,		BFD_ACT_UP,		UP },
	{ IN, BFD_EVT_TIMER,		BFD_ACT_DOWN_TIMER,	DN },
	{ IN, BFD_EVT_ECHO_TIMER,	BFD_ACT_NONE,		IN },
	{ IN, BFD_EVT_ADMIN_DOWN,	BFD_ACT_ADMIN_DOWN,	AD },
	{ IN, BFD_EVT_ADMIN_UP,		BFD_ACT_NONE,		IN },

	{ UP, BFD_EVT_RX_ADMIN_DOWN,	BFD_ACT_DOWN_NBR,	DN },
	{ UP, BFD_EVT_RX_DOWN,		BFD_ACT_DOWN_NBR,	DN },
	{ UP, BFD_EVT_RX_INIT,		BFD_ACT_NONE,		UP },
	{ UP, BFD_EVT_RX_UP,		BFD_ACT_NONE,		UP },
	{ UP, BFD_EVT_TIMER,		BFD_ACT_DOWN_TIMER,	DN },
	{ UP, BFD_EVT_ECHO_TIMER,	BFD_ACT_DOWN_ECHO,	DN },
	{ UP, BFD_EVT_ADMIN_DOWN,	BFD_ACT_ADMIN_DOWN,	AD },
	{ UP, BFD_EVT_ADMIN_UP,		BFD_ACT_NONE,		UP },
};

#undef AD
#undef DN
#undef IN
#undef UP

#define FSM_ROWS	(sizeof(fsm_table) / sizeof(fsm_table[0]))

const char *
bfd_state_name(unsigned int state)
{
	return state < BFD_STA_MAX ? bfd_state_names[state] : "?";
}

const char *
bfd_diag_name(unsigned int diag)
{
	return diag < BFD_DIAG_MAX ? diag_names[diag] : "reserved";
}

const char *
bfd_event_name(unsigned int event)
{
	return event < BFD_EVT_MAX ? bfd_event_names[event] : "?";
}

const struct bfd_fsm_row *
bfd_fsm_lookup(enum bfd_state state, enum bfd_event event)
{
	for (size_t i = 0; i < FSM_ROWS; i++)
		if (fsm_table[i].state == state && fsm_table[i].event == event)
			return &fsm_table[i];
	return NULL;
}

enum bfd_event
bfd_fsm_rx_event(uint8_t remote_state)
{
	switch (remote_state) {
	case BFD_STA_ADMIN_DOWN:
		return BFD_EVT_RX_ADMIN_DOWN;
	case BFD_STA_DOWN:
		return BFD_EVT_RX_DOWN;
	case BFD_STA_INIT:
		return BFD_EVT_RX_INIT;
	default:
		return BFD_EVT_RX_UP;
	}
}

static enum bfd_diag
action_diag(const struct bfd_session *s, enum bfd_action act)
{
	switch (act) {
	case BFD_ACT_DOWN_NBR:
		return BFD_DIAG_NBR_DOWN;
	case BFD_ACT_DOWN_TIMER:
		return BFD_DIAG_CTL_EXPIRED;
	case BFD_ACT_DOWN_ECHO:
		return BFD_DIAG_ECHO_FAILED;
	case BFD_ACT_ADMIN_DOWN:
		return BFD_DIAG_ADMIN_DOWN;
	case BFD_ACT_UP:
	case BFD_ACT_ENABLE:
		return BFD_DIAG_NONE;
	default:
		return s->local_diag;	/* Init keeps the last reason */
	}
}

enum bfd_state
bfd_fsm(struct bfd_session *s, enum bfd_event event)
{
	const struct bfd_fsm_row *row;
	enum bfd_state old = s->state;
	enum bfd_diag diag;
	char kb[160];

	row = bfd_fsm_lookup(old, event);
	if (row == NULL)
		wp_fatalx("%s: no row for state %u event %u", __func__, old,
			  event);
	if (row->action == BFD_ACT_NONE) {
		wp_debug(DBG_BFD_FSM, "peer %s: %s -> %s: no change",
			 bfd_key_fmt(&s->key, kb, sizeof(kb)),
			 bfd_state_name(old), bfd_event_name(event));
		return old;
	}
	diag = action_diag(s, row->action);
	wp_log_info("peer %s: %s -> %s -> %s (%s)",
		    bfd_key_fmt(&s->key, kb, sizeof(kb)), bfd_state_name(old),
		    bfd_event_name(event), bfd_state_name(row->next),
		    bfd_diag_name(diag));
	bfd_session_transition(s, row->next, diag, event);
	return row->next;
}
