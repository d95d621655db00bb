/* CLibedit: fixed-argument wrappers over libedit's variadic calls (el_wset, history_w),
 * which Swift cannot call directly. One wrapper per operation BudgetQL's REPL needs. */
#ifndef BQL_CLIBEDIT_SHIM_H
#define BQL_CLIBEDIT_SHIM_H

#include <stdio.h>
#include <wchar.h>
#include <locale.h>
#include <histedit.h>

typedef wchar_t *(*bql_prompt_fn)(EditLine *);
typedef unsigned char (*bql_key_fn)(EditLine *, int);

static inline int bql_el_set_prompt(EditLine *el, bql_prompt_fn fn) {
    return el_wset(el, EL_PROMPT, fn);
}
static inline int bql_el_set_editor(EditLine *el, const wchar_t *mode) {
    return el_wset(el, EL_EDITOR, mode);
}
static inline int bql_el_set_signal(EditLine *el, int on) {
    return el_wset(el, EL_SIGNAL, on);
}
static inline int bql_el_set_history(EditLine *el, HistoryW *h) {
    return el_wset(el, EL_HIST, history_w, h);
}
static inline int bql_el_add_function(EditLine *el, const wchar_t *name, const wchar_t *help, bql_key_fn fn) {
    return el_wset(el, EL_ADDFN, name, help, fn);
}
static inline int bql_el_bind(EditLine *el, const wchar_t *key, const wchar_t *name) {
    return el_wset(el, EL_BIND, key, name, (const wchar_t *)NULL);
}
static inline int bql_history_set_size(HistoryW *h, int size) {
    HistEventW ev;
    return history_w(h, &ev, H_SETSIZE, size);
}
static inline int bql_history_set_unique(HistoryW *h, int unique) {
    HistEventW ev;
    return history_w(h, &ev, H_SETUNIQUE, unique);
}
static inline int bql_history_enter(HistoryW *h, const wchar_t *line) {
    HistEventW ev;
    return history_w(h, &ev, H_ENTER, line);
}
static inline int bql_history_load(HistoryW *h, const char *path) {
    HistEventW ev;
    return history_w(h, &ev, H_LOAD, path);
}
static inline int bql_history_save(HistoryW *h, const char *path) {
    HistEventW ev;
    return history_w(h, &ev, H_SAVE, path);
}
static inline int bql_history_count(HistoryW *h) {
    HistEventW ev;
    if (history_w(h, &ev, H_GETSIZE) < 0) return 0;
    return ev.num;
}
/* Walks history from oldest to newest: first call with first=1, then 0; returns NULL at the end. */
static inline const wchar_t *bql_history_step(HistoryW *h, int first) {
    HistEventW ev;
    if (history_w(h, &ev, first ? H_LAST : H_PREV) < 0) return NULL;
    return ev.str;
}
static inline const wchar_t *bql_line_buffer(EditLine *el) { return el_wline(el)->buffer; }
static inline const wchar_t *bql_line_cursor(EditLine *el) { return el_wline(el)->cursor; }
static inline const wchar_t *bql_line_end(EditLine *el) { return el_wline(el)->lastchar; }

#endif
