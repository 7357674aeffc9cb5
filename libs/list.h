/* list.h -- circular doubly linked list with an embedded link (ucore style).
 * A list head is a list_entry_t whose next/prev point to itself when empty;
 * to_struct()/le2page() turn a link back into its containing object. */
#ifndef LIBS_LIST_H
#define LIBS_LIST_H

struct list_entry {
    struct list_entry *prev, *next;
};

typedef struct list_entry list_entry_t;

/* list_init - make @elm an empty list (or an unlinked element). */
static inline void list_init(list_entry_t *elm) { elm->prev = elm->next = elm; }

/* __list_add - link @elm between the adjacent entries @prev and @next. */
static inline void __list_add(list_entry_t *elm, list_entry_t *prev,
                              list_entry_t *next)
{
    prev->next = next->prev = elm;
    elm->next = next;
    elm->prev = prev;
}

/* list_add_after - insert @elm right after @listelm. */
static inline void list_add_after(list_entry_t *listelm, list_entry_t *elm)
{
    __list_add(elm, listelm, listelm->next);
}

/* list_add_before - insert @elm right before @listelm. */
static inline void list_add_before(list_entry_t *listelm, list_entry_t *elm)
{
    __list_add(elm, listelm->prev, listelm);
}

/* list_add - same as list_add_after. */
static inline void list_add(list_entry_t *listelm, list_entry_t *elm)
{
    list_add_after(listelm, elm);
}

/* list_del - unlink @listelm; its own pointers are left stale. */
static inline void list_del(list_entry_t *listelm)
{
    listelm->prev->next = listelm->next;
    listelm->next->prev = listelm->prev;
}

static inline bool list_empty(const list_entry_t *list)
{
    return list->next == list;
}

static inline list_entry_t *list_next(const list_entry_t *listelm)
{
    return listelm->next;
}

static inline list_entry_t *list_prev(const list_entry_t *listelm)
{
    return listelm->prev;
}

#endif /* !LIBS_LIST_H */
