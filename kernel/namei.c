/* Path lookup. A path is a sequence of names separated by one or more
 * '/'; a leading '/' starts at the root, anything else at the current
 * process's directory. "." and ".." are ordinary entries every directory
 * holds, so they need no special case here. A name longer than DIRSIZ
 * is cut to its first DIRSIZ bytes, as the classic kernel does (usertests'
 * fourteen relies on it): "123456789012345" and "12345678901234" name the
 * same entry, whether looked up or created.
 *
 * The walk holds one directory lock at a time: it takes a reference to
 * the next inode before letting go of the directory. Holding both would
 * deadlock against a walk going the other way through "..". */
#include "ramfs.h"
#include "proc.h"
#include "string.h"

/* Copies the next name of *path, cut to DIRSIZ bytes, into elem (DIRSIZ +
 * 1 bytes) and moves *path past all of it and the slashes after it, so
 * that **path == 0 means the name was the last. Returns 1, or 0 when no
 * name is left. */
static int next_name(const char **path, char *elem)
{
    const char *p = *path;
    while (*p == '/')
        p++;
    if (!*p)
        return 0;
    const char *start = p;
    while (*p && *p != '/')
        p++;
    uint64_t len = (uint64_t)(p - start);
    if (len > DIRSIZ)
        len = DIRSIZ;
    memcpy(elem, start, len);
    elem[len] = 0;
    while (*p == '/')
        p++;
    *path = p;
    return 1;
}

static struct inode *walk_start(const char *path)
{
    struct proc *p = myproc();
    /* While booting there is no process; the first one starts at "/". */
    if (*path == '/' || !p || !p->cwd)
        return inode_get(ROOTINO);
    return inode_dup(p->cwd);
}

/* Resolves path to its inode or, if parent, to the directory holding its
 * last name (which goes to name). */
static struct inode *walk(const char *path, int parent, char *name)
{
    if (!path || !*path)
        return 0; /* "" names nothing, as in Unix */
    /* "name/" promises a directory: checked for namei here, and by
     * fs_create for a name about to be made. */
    int want_dir = path[strlen(path) - 1] == '/';
    struct inode *ip = walk_start(path);
    if (!ip)
        return 0;
    char elem[DIRSIZ + 1];
    int r;
    while ((r = next_name(&path, elem)) > 0) {
        inode_lock(ip);
        if (ip->type != T_DIR) {
            inode_unlock(ip);
            break;
        }
        if (parent && !*path) {
            inode_unlock(ip);
            memcpy(name, elem, sizeof elem);
            return ip;
        }
        uint32_t inum = dir_lookup(ip, elem, 0);
        struct inode *next = inum ? inode_get(inum) : 0;
        inode_unlock(ip);
        inode_put(ip);
        if (!next)
            return 0;
        ip = next;
    }
    if (r == 0 && !parent && (!want_dir || ip->type == T_DIR))
        return ip;
    inode_put(ip); /* not a directory, or "/" for parent */
    return 0;
}

struct inode *namei(const char *path) { return walk(path, 0, 0); }

struct inode *namei_parent(const char *path, char *name) { return walk(path, 1, name); }
