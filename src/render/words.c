/*
 * words.c - see words.h.  Every sentence here is a msgid of the catalogs
 * in po/ (xgettext reads src/render/), translated into all of them; the
 * English is the msgid itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "words.h"

#define _(t, s)         i18n_text((t), (s))
#define N_(t, s, pl, n) i18n_ntext((t), (s), (pl), (n))

#define words_str         report_str /* "" when absent */
#define words_int(o, key) ((long long)json_integer_value(json_object_get((o), (key))))

const char *
words_range_meaning(const struct i18n *t, const char *name)
{
	if (strcmp(name, "well-known") == 0)
		return _(t, "Assigned by IETF review; on Linux, binding below 1024 needs root or "
		            "CAP_NET_BIND_SERVICE, so a listener here was started with privilege.");
	if (strcmp(name, "registered") == 0)
		return _(t, "Assigned by IANA on request to a vendor or project; any user may bind "
		            "them, so the registration says what a port was meant for, not what is "
		            "using it.");
	if (strcmp(name, "dynamic") == 0)
		return _(t,
		         "Never assigned: meant for temporary client-side ports and private use, "
		         "so no registry can say what uses one.");
	return "";
}

const char *
words_range_title(const struct i18n *t, const char *name)
{
	if (strcmp(name, "well-known") == 0)
		return _(t, "Well-known ports");
	if (strcmp(name, "registered") == 0)
		return _(t, "Registered ports");
	if (strcmp(name, "dynamic") == 0)
		return _(t, "Dynamic ports");
	return name;
}

const char *
words_concern_title(const struct i18n *t, const char *level)
{
	if (strcmp(level, "high") == 0)
		return _(t, "High concern");
	if (strcmp(level, "elevated") == 0)
		return _(t, "Elevated concern");
	if (strcmp(level, "low") == 0)
		return _(t, "Low concern");
	return _(t, "No particular concern");
}

const char *
words_category(const struct i18n *t, const char *cat)
{
	static const char *const known[] = {"game", "development", "vendor", "p2p",
	                                    "iot",  "malware",     "scanner"};
	const char *names[] = {_(t, "Game"),         _(t, "Development"),        _(t, "Vendor"),
	                       _(t, "Peer-to-peer"), _(t, "Internet of things"), _(t, "Malware"),
	                       _(t, "Scanner")};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(cat, known[i]) == 0)
			return names[i];
	return _(t, "Other");
}

/* The word for a frequency class, NULL for a class not known here. */
static const char *
words_frequency_word(const struct i18n *t, const char *class)
{
	if (strcmp(class, "very-common") == 0)
		/* TRANSLATORS: how often a port is found open, as %1$s of the next messages. */
		return _(t, "very common");
	if (strcmp(class, "common") == 0)
		return _(t, "common");
	if (strcmp(class, "uncommon") == 0)
		return _(t, "uncommon");
	if (strcmp(class, "rare") == 0)
		return _(t, "rare");
	if (strcmp(class, "very-rare") == 0)
		return _(t, "very rare");
	if (strcmp(class, "almost-never") == 0)
		return _(t, "almost never seen");
	return NULL;
}

int
words_frequency(const struct i18n *t, const json_t *freq, char *buf, size_t len)
{
	const char *class = words_str(freq, "class"), *word = words_frequency_word(t, class);
	long long one_in = words_int(freq, "one_in");
	struct words_sentence s = {0};

	buf[0] = '\0';
	if (strcmp(class, "never") == 0)
		s.tmpl = _(t, "never seen open in nmap's scans of the Internet");
	else if (strcmp(class, "unlisted") == 0)
		s.tmpl = _(t, "not listed in nmap-services (or nmap is not installed)");
	else if (word == NULL || one_in < 1)
		return -1;
	else if (one_in == 1)
		/* TRANSLATORS: %1$s is a frequency word: "very common". */
		s.tmpl = _(t, "%1$s: open on nearly every scanned host");
	else {
		i18n_number(t, one_in, s.num, sizeof(s.num));
		/* TRANSLATORS: %1$s is a frequency word ("rare"), %2$s a number: 26,000. */
		s.tmpl = N_(t, "%1$s: open on about 1 in %2$s scanned host",
		            "%1$s: open on about 1 in %2$s scanned hosts", (unsigned long)one_in);
	}
	s.arg[0] = word;
	s.arg[1] = s.num;
	s.n = 2;
	words_fill(&s, buf, len);
	return 0;
}

/* s gets template tmpl and the n English (curated) arguments that follow. */
static void
words_set(struct words_sentence *s, const char *tmpl, size_t n, const char *a, const char *b)
{
	s->tmpl = tmpl;
	s->n = n;
	s->arg[0] = a;
	s->arg[1] = b;
	s->english[0] = s->english[1] = 1;
}

int
words_concern(const struct i18n *t, const json_t *code, struct words_sentence *s)
{
	const char *name = words_str(code, "code"), *who = words_str(code, "who");
	const char *text = words_str(code, "text");

	memset(s, 0, sizeof(*s));
	if (strcmp(name, "exposure") == 0) {
		const char *lang = words_str(code, "lang");

		/* TRANSLATORS: %1$s names a service ("Redis"), %2$s says why, both in English. */
		words_set(s, _(t, "dangerous to expose, %1$s: %2$s"), 2, who, text);
		/* data/exposure.txt's text.<lang>: the why in the reader's language. */
		s->english[1] = lang[0] == '\0' || strcmp(lang, "en") == 0;
	} else if (strcmp(name, "malware") == 0)
		/* TRANSLATORS: %1$s names the malware, in English: "Back Orifice". */
		words_set(s, _(t, "associated with malware: %1$s"), 1, who, NULL);
	else if (strcmp(name, "malware-shared") == 0)
		/* TRANSLATORS: %1$s names the malware, %2$s a program, both in English. */
		words_set(s,
		          _(t, "associated with malware: %1$s; but %2$s commonly uses it "
		               "too, so what you find is more likely that"),
		          2, who, words_str(code, "shared_with"));
	else if (strcmp(name, "scanner") == 0)
		/* TRANSLATORS: %1$s names the scanning, in English: "SSH password guessing". */
		words_set(s, _(t, "a common target of Internet scanners: %1$s"), 1, who, NULL);
	else if (strcmp(name, "unauthorized") == 0 && json_object_get(code, "width")) {
		snprintf(s->num, sizeof(s->num), "%lld-%lld", words_int(code, "port_lo"),
		         words_int(code, "port_hi"));
		/* TRANSLATORS: %1$s is a port range ("27018-27344"), %2$s IANA's note in English.
		 */
		words_set(s,
		          _(t, "IANA records unauthorized use on %1$s, not on this port in "
		               "particular: %2$s"),
		          2, s->num, text);
		s->english[0] = 0;
	} else if (strcmp(name, "unauthorized") == 0)
		/* TRANSLATORS: %1$s is IANA's own note, in English. */
		words_set(s, _(t, "IANA records unauthorized use: %1$s"), 1, text, NULL);
	else if (strcmp(name, "unsourced") == 0) {
		/* TRANSLATORS: %1$s names a program or malware, in English; %2$s its category. */
		words_set(s, _(t, "not counted: no public source says %1$s (%2$s) uses it"), 2, who,
		          words_category(t, words_str(code, "category")));
		s->english[1] = 0;
	} else if (strcmp(name, "wide-claim") == 0) {
		snprintf(s->num, sizeof(s->num), "%lld", words_int(code, "width"));
		/* TRANSLATORS: %1$s names a program or malware, %2$s its category, %3$s a count. */
		words_set(s,
		          _(t, "%1$s (%2$s) claims %3$s ports at once, which says little "
		               "about any one of them"),
		          3, who, words_category(t, words_str(code, "category")));
		s->arg[2] = s->num;
		s->english[1] = 0;
	} else if (strcmp(name, "unassigned-used") == 0)
		/* TRANSLATORS: %1$s names a program, in English. */
		words_set(s,
		          _(t, "unassigned at IANA, and used by %1$s: ordinary software is "
		               "no reason for concern by itself"),
		          1, who, NULL);
	else if (strcmp(name, "dynamic") == 0)
		words_set(s,
		          _(t, "in the dynamic range, where programs pick short-lived ports: a "
		               "port there says little by itself"),
		          0, NULL, NULL);
	else
		return -1;
	return 0;
}

/* "%s" and "%N$s" take arguments, "%%" is a percent sign; anything else is copied. */
void
words_fill(const struct words_sentence *s, char *buf, size_t len)
{
	const char *p = s->tmpl, *arg;
	size_t used = 0, next = 0, idx, n;
	char *end;

	if (len == 0)
		return;
	while (*p && used + 1 < len) {
		arg = NULL;
		if (p[0] == '%' && p[1] == '%') {
			arg = "%";
			p += 2;
		} else if (p[0] == '%' && p[1] == 's') {
			idx = next++;
			arg = idx < s->n && s->arg[idx] ? s->arg[idx] : "";
			p += 2;
		} else if (p[0] == '%' && p[1] >= '1' && p[1] <= '9' &&
		           (idx = strtoul(p + 1, &end, 10) - 1, end[0] == '$' && end[1] == 's')) {
			arg = idx < s->n && s->arg[idx] ? s->arg[idx] : "";
			p = end + 2;
		}
		if (arg == NULL) {
			buf[used++] = *p++;
			continue;
		}
		n = strlen(arg);
		if (n > len - 1 - used)
			n = len - 1 - used;
		memcpy(buf + used, arg, n);
		used += n;
	}
	buf[used] = '\0';
}

const char *
words_format(char *buf, size_t len, const char *tmpl, const char *a, const char *b, const char *c)
{
	struct words_sentence s = {.tmpl = tmpl, .arg = {a, b, c}, .n = 3};

	words_fill(&s, buf, len);
	return buf;
}

/* The paragraph for the first range class and the registry's status. */
static const char *
words_why_class(const struct i18n *t, const char *class, const char *status)
{
	if (strcmp(class, "dynamic") == 0)
		return _(t,
		         "Ports in this range belong to no one: the operating system hands them "
		         "out for outgoing connections and short-lived servers, so one port here "
		         "tells little without the process behind it.");
	if (strcmp(status, "reserved") == 0)
		return _(t, "A reserved number is held back on purpose, for a protocol's future or "
		            "to keep a gap; no service should listen here, so a listener is a "
		            "program that ignored the registry.");
	if (strcmp(status, "assigned") != 0)
		return _(t, "Empty ports are breathing room: the registry keeps them free for "
		            "services to come, and any program may borrow one meanwhile. What you "
		            "meet here is whatever picked the number, so no registration vouches "
		            "for it.");
	if (strcmp(class, "well-known") == 0)
		return _(t, "Ports below 1024 are handed out only after IETF review, and only a "
		            "privileged program may listen on them. Clients connect here without "
		            "asking, so the registration is a strong promise about what answers.");
	return _(t, "A registration prevents collisions even when the software is rare: "
	            "developers check the registry before choosing a default, so two products "
	            "do not fight over one number. It says what the port was meant for, not "
	            "what runs on it.");
}

void
words_why(const struct i18n *t, const json_t *rep, char *buf, size_t len)
{
	const json_t *cls =
	    json_array_get(json_object_get(json_object_get(rep, "range"), "classes"), 0);
	const json_t *l = json_object_get(rep, "listening");
	const char *status = words_str(json_object_get(rep, "identity"), "status");

	buf[0] = '\0';
	if (!json_is_object(cls))
		return;
	snprintf(buf, len, "%s", words_why_class(t, words_str(cls, "name"), status));
	if (json_array_size(json_object_get(l, "listeners")) > 0) {
		size_t used = strlen(buf);

		snprintf(buf + used, len - used, " %s",
		         _(t, "Something listens on it on this machine now: an unexpected listener "
		              "is worth a look, so check which program it is."));
	}
}

/* Set key of o to the string s; -1 out of memory. */
static int
words_put(json_t *o, const char *key, const char *s)
{
	return json_is_object(o) ? json_object_set_new(o, key, json_string(s)) : 0;
}

int
words_localize(json_t *rep, const struct i18n *t)
{
	json_t *range = json_object_get(rep, "range"), *freq = json_object_get(rep, "frequency");
	json_t *v;
	struct words_sentence s;
	char buf[2048];
	size_t i;
	int rc = 0;

	rc |= words_put(rep, "lang", i18n_code(t));
	json_array_foreach(json_object_get(range, "classes"), i, v) rc |=
	    words_put(v, "meaning", words_range_meaning(t, words_str(v, "name")));
	if (json_is_object(freq)) {
		words_frequency(t, freq, buf, sizeof(buf));
		rc |= words_put(freq, "words", buf);
		json_array_foreach(json_object_get(freq, "per_protocol"), i, v)
		{
			words_frequency(t, v, buf, sizeof(buf));
			rc |= words_put(v, "words", buf);
		}
	}
	json_array_foreach(json_object_get(json_object_get(rep, "concern"), "codes"), i, v)
	{
		if (words_concern(t, v, &s) == -1)
			snprintf(buf, sizeof(buf), "%s", words_str(v, "code"));
		else
			words_fill(&s, buf, sizeof(buf));
		rc |= words_put(v, "words", buf);
	}
	if (json_is_true(json_object_get(rep, "found"))) {
		words_why(t, rep, buf, sizeof(buf));
		rc |= words_put(rep, "why", buf);
	}
	return rc ? -1 : 0;
}
