/*
 * fold.h - one spelling for words British and American English spell
 * differently, so "licence server" finds what "license server" finds.
 *
 * The registry mixes both spellings (IANA's descriptions were written by
 * assignees everywhere), and so do the people searching it.  Rather than a
 * list of word pairs, fold_word() applies the regular rules that separate
 * the two spellings, always toward the American form: -ence/-ense
 * (licence, defence, offence), -our/-or (colour, favourite, behaviour),
 * -ise/-ize and -yse/-yze (organise, analyse, with their -ed, -ing, -er,
 * -ation forms), -tre/-ter and -bre/-ber (centre, fibre), -logue/-log
 * (catalogue, dialogue), a doubled l before -ed/-ing/-er (cancelled,
 * signalling, tunnelling) and -amme/-am (programme); and the Roman
 * numerals II and III, which as words are only ever sequels' numbers
 * ("Quake II" is "quake 2").  Each rule needs a
 * long enough stem to leave short words alone ("hour", "four", "rise").
 * Words that are different words in both spellings do not exist among
 * the rules' outputs, so folding both the index and the query makes the
 * two spellings equal and merges nothing else that matters.
 *
 * The full-text index uses it through an FTS5 tokenizer, "portolan_fold",
 * which lower-cases and splits like unicode61 (it wraps it) and then folds
 * each token; put it under porter ("porter portolan_fold") so stemming
 * sees the folded word.  Every connection that reads or writes the index
 * must register it first (fold_register(); store.c does).
 */
#ifndef PORTOLAN_FOLD_H
#define PORTOLAN_FOLD_H

#include <stddef.h>

#include <sqlite3.h>

#define FOLD_TOKENIZER "portolan_fold"

/*
 * Fold the lower-case ASCII word w[0..*len) in place (it never grows) and
 * update *len.  Bytes other than a-z leave the word as it is.
 */
void fold_word(char *w, size_t *len);

/* Register the tokenizer on db; SQLITE_OK or SQLite's error code. */
int fold_register(sqlite3 *db);

#endif
