/*
 * text_machine.c - the sentences of the machine commands (`who`,
 * `listening`, `connections`, `audit`) in the reader's language.
 *
 * Their listings are tokens a script greps (tcp, addresses,
 * command:pid(user), !flags, concern:L) and stay as they are; only the
 * sentences around them are words, and those come from the catalogs in
 * po/ here, where scripts/update-po.sh extracts them.  The unseen-holders
 * note is the port report's (text.c words it through render_unseen() too),
 * so a reader meets one wording of it.
 */
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "words.h"

#define _(t, s)         i18n_text((t), (s))
#define N_(t, s, pl, n) i18n_ntext((t), (s), (pl), (n))

const char *
render_unseen(const struct i18n *t, const char *why, int connections, unsigned long n,
              long long hidepid, char *buf, size_t len)
{
	char count[24], hp[24];
	const char *tmpl;

	snprintf(count, sizeof(count), "%lu", n);
	snprintf(hp, sizeof(hp), "%lld", hidepid);
	if (strcmp(why, "hidepid") == 0 && !connections)
		/* TRANSLATORS: %2$s is the value of /proc's mount option hidepid (2). */
		tmpl = N_(t,
		          "%1$s listener held by processes /proc hides from this user (mounted "
		          "hidepid=%2$s): run as root to see who",
		          "%1$s listeners held by processes /proc hides from this user (mounted "
		          "hidepid=%2$s): run as root to see who",
		          n);
	else if (strcmp(why, "hidepid") == 0)
		/* TRANSLATORS: %2$s is the value of /proc's mount option hidepid (2). */
		tmpl = N_(t,
		          "%1$s connection held by processes /proc hides from this user (mounted "
		          "hidepid=%2$s): run as root to see who",
		          "%1$s connections held by processes /proc hides from this user (mounted "
		          "hidepid=%2$s): run as root to see who",
		          n);
	else if (strcmp(why, "other-users") == 0 && !connections)
		tmpl = N_(t, "%1$s listener owned by other users: run as root to see who",
		          "%1$s listeners owned by other users: run as root to see who", n);
	else if (strcmp(why, "other-users") == 0)
		tmpl = N_(t, "%1$s connection owned by other users: run as root to see who",
		          "%1$s connections owned by other users: run as root to see who", n);
	else if (strcmp(why, "namespace") == 0 && !connections)
		tmpl = N_(
		    t, "%1$s listener held by no process visible here (another PID namespace?)",
		    "%1$s listeners held by no process visible here (another PID namespace?)", n);
	else if (strcmp(why, "namespace") == 0)
		tmpl = N_(
		    t, "%1$s connection held by no process visible here (another PID namespace?)",
		    "%1$s connections held by no process visible here (another PID namespace?)", n);
	else
		return NULL;
	return words_format(buf, len, tmpl, count, hp, NULL);
}

void
render_text_machine(FILE *out, const struct i18n *t, enum render_machine_msg msg, const char *a,
                    const char *b, const char *c)
{
	char buf[1024];
	const char *tmpl = "";

	switch (msg) {
	case RENDER_NOTHING_LISTENS:
		/* TRANSLATORS: %1$s is what `portolan who` was asked: 22, 53/udp, 8000-8100,ssh. */
		tmpl = _(t, "nothing listens on %1$s");
		break;
	case RENDER_IN_REGISTRY:
		/* TRANSLATORS: %1$s is a port and protocol (22/tcp), %2$s the registry's service
		 * name and description for it. */
		tmpl = _(t, "%1$s in the registry: %2$s");
		break;
	case RENDER_NO_CLAIM:
		/* TRANSLATORS: after a listener `portolan audit --claims` found: no claim covers
		 * it. */
		tmpl = _(t, "(no claim)");
		break;
	case RENDER_CLAIM_IDLE:
		/* TRANSLATORS: %1$s is a port (8080/tcp), %2$s the claimed service, %3$s its
		 * owner (a team). */
		tmpl = _(t, "%1$s %2$s (owner %3$s): claimed, nothing listens");
		break;
	}
	fputs(words_format(buf, sizeof(buf), tmpl, a, b, c), out);
}
