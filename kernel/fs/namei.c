/* Path lookup. A path is a sequence of names separated by one or more
 * '/'; a leading '/' starts at the root, anything else at the current
 * process's directory. "." and ".." are ordinary entries every directory
 * holds, so they need no special case here. A name longer than DIRSIZ
 * is cut to its first DIRSIZ bytes, as the classic kernel does (usertests'
 * fourteen relies on it): "123456789012345" and "12345678901234" name the
 * same entry, whether looked up or created.
 *
 * A symbolic link met in the middle of a path is always followed; one that
 * is the last name is followed unless the caller asks otherwise
 * (namei_nofollow, namei_parent). Following splices the link's target in
 * front of the rest of the path and walks on: from the root if the target
 * is absolute, else from the directory holding the link. At most
 * SYMLINK_DEPTH_MAX links are followed per lookup.
 *
 * The walk holds one directory lock at a time: it takes a reference to
 * the next inode before letting go of the directory. Holding both would
 * deadlock against a walk going the other way through "..". */
#include "ramfs/ramfs.h"
#include "../proc.h"
#include "../string.h"

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
        return vfs_root();
    return inode_dup(p->cwd);
}

/* LAB fs BEGIN: splice_link: put link's target in front of rest, in buf */
/* Makes buf (MAXPATH bytes) hold link's target, a '/', then rest (which
 * may already lie inside buf). -1 if that does not fit. */
static int splice_link(struct inode *link, const char *rest, char *buf)
{
    uint64_t rlen = strlen(rest);
    inode_lock(link);
    uint64_t tlen = link->size;
    int ok = tlen > 0 && tlen + 1 + rlen < MAXPATH;
    if (ok) {
        memmove(buf + tlen + 1, rest, rlen + 1); /* first: rest may be in buf */
        ok = inode_read_to(link, 0, (uint64_t)buf, 0, tlen) == (int64_t)tlen;
        buf[tlen] = '/';
    }
    inode_unlock(link);
    return ok ? 0 : -1;
}
/* LAB fs END */

/* Resolves path to its inode or, if parent, to the directory holding its
 * last name (which goes to name). follow: whether a symbolic link as the
 * last name is followed. */
static struct inode *walk(const char *path, int parent, char *name, int follow)
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
    char spliced[MAXPATH]; /* the path still to walk, once a link was followed */
    int links = 0;
    int r;
    (void)spliced, (void)links, (void)follow; /* unused while links are not followed */
    while ((r = next_name(&path, elem)) > 0) {
        /* ".." of a mounted file system's root is the ".." of the
         * directory it covers. */
        if (strcmp(elem, "..") == 0 && !(parent && !*path))
            ip = vfs_cross_up(ip);
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
        struct inode *next = inum ? inode_get_in(ip, inum) : 0;
        inode_unlock(ip);
        if (next)
            next = vfs_cross_down(next); /* into a file system mounted here */
        if (!next) {
            inode_put(ip);
            return 0;
        }
        /* LAB fs BEGIN: follow a link: always mid-path; at the end if follow or want_dir */
        if (inode_type(next) == T_SYMLINK && (*path || follow || want_dir)) {
            int bad = ++links > SYMLINK_DEPTH_MAX || splice_link(next, path, spliced) < 0;
            inode_put(next);
            if (bad) {
                inode_put(ip);
                return 0;
            }
            path = spliced;
            if (*path == '/') { /* absolute: start again from the root */
                inode_put(ip);
                if (!(ip = vfs_root()))
                    return 0;
            }
            continue; /* relative: on from the directory holding the link */
        }
        /* LAB fs END */
        inode_put(ip);
        ip = next;
    }
    if (r == 0 && !parent && (!want_dir || ip->type == T_DIR))
        return ip;
    inode_put(ip); /* not a directory, or "/" for parent */
    return 0;
}

struct inode *namei(const char *path) { return walk(path, 0, 0, 1); }

struct inode *namei_nofollow(const char *path) { return walk(path, 0, 0, 0); }

struct inode *namei_parent(const char *path, char *name) { return walk(path, 1, name, 1); }
