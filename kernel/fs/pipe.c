/* Pipes: a one-page ring buffer in a frame from the page-frame database. */
#include "file.h"
#include "../proc.h"
#include "../spinlock.h"
#include "../../mm/page.h"
#include "../../mm/evict.h"
#include "../../mm/vm.h"

#define PIPE_SIZE (PAGE_SIZE - 64)

struct pipe {
    struct spinlock lock;
    uint64_t nread, nwrite; /* total bytes read / written */
    int readopen, writeopen;
    /* Processes asleep in pipe_read and in pipe_write: a side wakes the
     * other only when someone there waits, so a reader that keeps up with
     * its writer costs the writer no wakeup at all. */
    int readers_waiting, writers_waiting;
    char data[PIPE_SIZE];
};
_Static_assert(sizeof(struct pipe) <= PAGE_SIZE, "a pipe fits in one frame");

int pipe_create(struct file **rf, struct file **wf)
{
    struct page *pg = 0;
    *rf = *wf = 0;
    if (!(*rf = file_alloc()) || !(*wf = file_alloc()) || !(pg = page_alloc(0)))
        goto fail;
    pg->flags |= PG_KERNEL;
    struct pipe *pi = page_va(pg);
    spin_init(&pi->lock, "pipe");
    pi->nread = pi->nwrite = 0;
    pi->readopen = pi->writeopen = 1;
    pi->readers_waiting = pi->writers_waiting = 0;
    (*rf)->type = (*wf)->type = FILE_PIPE;
    (*rf)->pipe = (*wf)->pipe = pi;
    (*rf)->readable = 1;
    (*wf)->writable = 1;
    return 0;
fail:
    if (*rf)
        file_close(*rf);
    if (*wf)
        file_close(*wf);
    return -1;
}

void pipe_close(struct pipe *pi, int writable)
{
    spin_lock(&pi->lock);
    if (writable) {
        pi->writeopen = 0;
        wakeup(&pi->nread);
    } else {
        pi->readopen = 0;
        wakeup(&pi->nwrite);
    }
    int gone = !pi->readopen && !pi->writeopen;
    spin_unlock(&pi->lock);
    if (gone)
        page_put(pa_to_page(va_to_pa(pi)));
}

/* A copy under the pipe's lock failed. With eviction, the page may have
 * gone to swap since the system call's prefault (bringing it back sleeps,
 * which the lock forbids): this lets the lock go, brings the range back,
 * and takes the lock again; the caller then starts over from its checks.
 * 0 if worth a retry, -1 if the address is bad (tried too often). */
static int refault(struct pipe *pi, uint64_t addr, uint64_t len, int *tries)
{
    if (!evict_active() || ++*tries > 4)
        return -1;
    spin_unlock(&pi->lock);
    vm_prefault(myproc()->as, addr, len);
    spin_lock(&pi->lock);
    return 0;
}

int pipe_write(struct pipe *pi, uint64_t addr, int n)
{
    struct proc *p = myproc();
    int done = 0, tries = 0;
    spin_lock(&pi->lock);
    while (done < n) {
        if (!pi->readopen || proc_killed(p)) {
            spin_unlock(&pi->lock);
            return done ? done : -1;
        }
        if (pi->nwrite == pi->nread + PIPE_SIZE) {
            if (pi->readers_waiting)
                wakeup(&pi->nread);
            pi->writers_waiting++;
            sleep_on(&pi->nwrite, &pi->lock);
            pi->writers_waiting--;
            continue;
        }
        /* Copy as much as fits contiguously in the ring. */
        uint64_t pos = pi->nwrite % PIPE_SIZE;
        uint64_t room = PIPE_SIZE - (pi->nwrite - pi->nread);
        uint64_t chunk = PIPE_SIZE - pos < room ? PIPE_SIZE - pos : room;
        if (chunk > (uint64_t)(n - done))
            chunk = (uint64_t)(n - done);
        if (copyin(p->as, pi->data + pos, addr + (uint64_t)done, chunk) < 0) {
            if (refault(pi, addr + (uint64_t)done, chunk, &tries) == 0)
                continue;
            spin_unlock(&pi->lock);
            return done ? done : -1;
        }
        pi->nwrite += chunk;
        done += (int)chunk;
    }
    if (pi->readers_waiting)
        wakeup(&pi->nread);
    spin_unlock(&pi->lock);
    return done;
}

int pipe_read(struct pipe *pi, uint64_t addr, int n)
{
    struct proc *p = myproc();
    int tries = 0;
    spin_lock(&pi->lock);
again:
    while (pi->nread == pi->nwrite && pi->writeopen) {
        if (proc_killed(p)) {
            spin_unlock(&pi->lock);
            return -1;
        }
        pi->readers_waiting++;
        sleep_on(&pi->nread, &pi->lock);
        pi->readers_waiting--;
    }
    int done = 0;
    while (done < n && pi->nread != pi->nwrite) {
        uint64_t pos = pi->nread % PIPE_SIZE;
        uint64_t avail = pi->nwrite - pi->nread;
        uint64_t chunk = PIPE_SIZE - pos < avail ? PIPE_SIZE - pos : avail;
        if (chunk > (uint64_t)(n - done))
            chunk = (uint64_t)(n - done);
        if (copyout(p->as, addr + (uint64_t)done, pi->data + pos, chunk) < 0) {
            if (!done && refault(pi, addr, chunk, &tries) == 0)
                goto again;
            if (!done)
                done = -1;
            break;
        }
        pi->nread += chunk;
        done += (int)chunk;
    }
    if (pi->writers_waiting)
        wakeup(&pi->nwrite);
    spin_unlock(&pi->lock);
    return done;
}
