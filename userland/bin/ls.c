/* ls [path...]: for a directory, one line per entry; for anything else,
 * one line for it. Each line shows name, type (1 directory, 2 file,
 * 3 device, 4 symbolic link), inode number and size in bytes; a symbolic
 * link inside a directory is shown itself, followed by -> and its target. */
#include "user.h"
#include "rvos/fs.h" /* struct dirent, DIRSIZ */

#define PATH_MAX 128

static void show(const char *name, const struct stat *st, const char *target)
{
    /* printf has no left alignment: pad the name to DIRSIZ columns by hand */
    char line[PATH_MAX + 64];
    int n = snprintf(line, PATH_MAX, "%s", name);
    if (n > PATH_MAX - 1)
        n = PATH_MAX - 1; /* cut a very long path given as an argument */
    while (n < DIRSIZ)
        line[n++] = ' ';
    if (target)
        snprintf(line + n, (int)sizeof line - n, " %d %4u %6lu -> %s\n", st->type, st->ino, st->size, target);
    else
        snprintf(line + n, (int)sizeof line - n, " %d %4u %6lu\n", st->type, st->ino, st->size);
    printf("%s", line);
}

static int list_dir(int fd, const char *path)
{
    struct dirent de;
    char full[PATH_MAX];
    int plen = (int)strlen(path);
    if (plen + 1 + DIRSIZ + 1 > PATH_MAX) {
        fprintf(2, "ls: path too long: %s\n", path);
        return -1;
    }
    int status = 0, n;
    while ((n = read(fd, &de, sizeof de)) == sizeof de) {
        if (de.inum == 0)
            continue;
        char name[DIRSIZ + 1];
        memmove(name, de.name, DIRSIZ);
        name[DIRSIZ] = 0; /* a name of exactly DIRSIZ bytes has no NUL */
        /* stat through the full path: the entry only holds the inode number */
        if (plen > 0 && path[plen - 1] == '/')
            snprintf(full, sizeof full, "%s%s", path, name);
        else
            snprintf(full, sizeof full, "%s/%s", path, name);
        /* The entry itself: a symbolic link is not followed (it may point
         * nowhere), but shown with its target. */
        struct stat st;
        char target[PATH_MAX];
        int efd = open(full, O_RDONLY | O_NOFOLLOW);
        if (efd < 0 || fstat(efd, &st) < 0) {
            fprintf(2, "ls: cannot stat %s\n", full);
            status = -1;
            if (efd >= 0)
                close(efd);
            continue;
        }
        int tlen = st.type == T_SYMLINK ? read(efd, target, sizeof target - 1) : -1;
        close(efd);
        if (tlen >= 0)
            target[tlen] = 0;
        show(name, &st, tlen >= 0 ? target : 0);
    }
    if (n != 0) {
        fprintf(2, "ls: error reading directory %s\n", path);
        return -1;
    }
    return status;
}

static int ls(const char *path, int header)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(2, "ls: cannot open %s\n", path);
        return -1;
    }
    struct stat st;
    int r = 0;
    if (fstat(fd, &st) < 0) {
        fprintf(2, "ls: cannot stat %s\n", path);
        r = -1;
    } else if (st.type == T_DIR) {
        if (header)
            printf("%s:\n", path);
        r = list_dir(fd, path);
    } else {
        show(path, &st, 0);
    }
    close(fd);
    return r;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return ls(".", 0) < 0;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') {
            fprintf(2, "usage: ls [path...]\n");
            exit(1);
        }
        if (ls(argv[i], argc > 2) < 0)
            status = 1;
    }
    return status;
}
