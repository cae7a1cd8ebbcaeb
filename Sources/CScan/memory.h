#ifndef KAMWATCH_CSCAN_MEMORY_H
#define KAMWATCH_CSCAN_MEMORY_H
// mremap(2) for the column buffers: the Glibc module leaves it out (it is a GNU extension).
// Growing a mapping this way moves page table entries instead of copying the bytes.

#include <stddef.h>

#if defined(__linux__)
extern void *mremap(void *old_address, size_t old_size, size_t new_size, int flags, ...);

/// Grows or shrinks the mapping at `p` from `old_size` to `new_size` bytes, moving it if it
/// must; returns NULL when that fails (errno set).
static inline void *kw_mremap(void *p, size_t old_size, size_t new_size) {
    void *q = mremap(p, old_size, new_size, 1 /* MREMAP_MAYMOVE */);
    return q == (void *)-1 ? NULL : q;
}

/// Moves the `size` bytes of mapped pages at `p` to `dst` (page-aligned), replacing whatever
/// was mapped there; returns 0 when that fails (errno set; nothing moved).
static inline int kw_mremap_to(void *p, size_t size, void *dst) {
    void *q = mremap(p, size, size, 1 /* MREMAP_MAYMOVE */ | 2 /* MREMAP_FIXED */, dst);
    return q == (void *)-1 ? 0 : 1;
}
#endif

#endif
