/* sim.h -- the replay harness of the replacement policies (make
 * bench-replace, make host-replace).  It stands in for the kernel under
 * kern/mm/swap/swap_*.c, compiled unchanged: it owns N simulated frames
 * (struct Page, with an accessed and a dirty bit each), a swap area with
 * one slot per virtual page, and implements frame_nr, frame_index,
 * frame_accessed, frame_dirty, frame_key and kmalloc/kfree over them.
 *
 * A reference to a resident page sets its accessed bit (and the dirty bit
 * on a write).  A miss takes a free frame or asks the policy for a victim,
 * writes the victim back when frame_dirty() says so (its swap copy is then
 * valid: clean until written again), loads the page and hands it to
 * map_swappable (swap_in: a valid copy was in swap), and then makes the
 * access, as the faulting instruction does when it is restarted.  LRU and
 * Belady's OPT replay the same way, without a policy table.
 */
#ifndef TESTS_REPLACE_SIM_H
#define TESTS_REPLACE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct swap_manager;

/* A reference string: page numbers in [0, npages), each read or written. */
struct trace {
    char name[48];
    size_t n, npages;
    uint32_t *page;
    bool *write;
};

struct sim_result {
    unsigned long refs, faults, writebacks;
};

/* sim_begin - @nframes free frames, @npages virtual pages with no swap
 * copy, and @pm initialised over them; false (with sim_error set) when
 * its init fails. */
bool sim_begin(const struct swap_manager *pm, size_t nframes, size_t npages);

/* sim_ref - one reference; false, with sim_error set, when the policy
 * misbehaves: no victim, a victim that is not a swappable resident frame
 * (a pinned one, a freed one, one it already gave), a failing call. */
bool sim_ref(uint32_t page, bool write);

/* sim_pin / sim_unpin - take resident @page out of the policy
 * (set_unswappable) and back (map_swappable(..., 0)); pinned frames are
 * never valid victims.  sim_free - @page is unmapped: out of the policy,
 * its frame free, its swap copy dropped.  Each is a no-op (true) when
 * @page is not resident. */
bool sim_pin(uint32_t page);
bool sim_unpin(uint32_t page);
bool sim_free(uint32_t page);

/* sim_resident - whether @page is in a frame now. */
bool sim_resident(uint32_t page);

/* sim_end - the counters; frees the simulation (not the policy's state,
 * which its next init replaces). */
struct sim_result sim_end(void);

/* sim_policy - replay @t on @nframes frames through @pm; exits with a
 * message when the policy misbehaves. */
struct sim_result sim_policy(const struct swap_manager *pm,
                             const struct trace *t, size_t nframes);

/* sim_lru / sim_opt - exact LRU and Belady's OPT (farthest next use;
 * among pages never used again a clean one first), write-backs counted
 * under the same rules. */
struct sim_result sim_lru(const struct trace *t, size_t nframes);
struct sim_result sim_opt(const struct trace *t, size_t nframes);

/* The message of the last failure. */
extern char sim_error[256];

/* While set, the policies' kmalloc returns NULL (their init's out of
 * memory path). */
extern bool sim_kmalloc_fails;

#endif /* !TESTS_REPLACE_SIM_H */
