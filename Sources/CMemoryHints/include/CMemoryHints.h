#ifndef PLAYBOOK_C_MEMORY_HINTS_H
#define PLAYBOOK_C_MEMORY_HINTS_H

/// Asks the processor to start bringing the cache line at `address` in, for a write soon after.
/// A hint only: it never faults, whatever the address, and changes no result. Swift has no
/// spelling of its own for it.
static inline void playbook_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
