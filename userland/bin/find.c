/* find DIR NAME: prints the path of every file or directory named NAME
 * under DIR (DIR included, "." and ".." never followed), one per line, as
 * DIR/.../NAME (lab util). */
#include "user.h"
#include "rvos/fs.h" /* struct dirent, DIRSIZ */

#define PATH_MAX 256

/* The last component of path. */
static const char *last_name(const char *path)
{
    const char *p = path + strlen(path);
    while (p > path && p[-1] != '/')
        p--;
    return p;
}

/* Looks at path (a file or a directory) and, if it is a directory, at
 * everything under it. */
static void find(char *path, const char *name)
{
    /* LAB util BEGIN: print path if its last name is name; if it is a directory, find in each entry but . and .. */
    struct stat st;
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd < 0 || fstat(fd, &st) < 0) {
        fprintf(2, "find: cannot open %s\n", path);
        if (fd >= 0)
            close(fd);
        return;
    }
    if (strcmp(last_name(path), name) == 0)
        printf("%s\n", path);
    if (st.type != T_DIR) {
        close(fd);
        return;
    }
    int len = (int)strlen(path);
    if (len + 1 + DIRSIZ + 1 > PATH_MAX) {
        fprintf(2, "find: path too long: %s\n", path);
        close(fd);
        return;
    }
    struct dirent de;
    while (read(fd, &de, sizeof de) == sizeof de) {
        if (de.inum == 0)
            continue;
        char entry[DIRSIZ + 1];
        memmove(entry, de.name, DIRSIZ);
        entry[DIRSIZ] = 0; /* a name of exactly DIRSIZ bytes has no NUL */
        if (strcmp(entry, ".") == 0 || strcmp(entry, "..") == 0)
            continue;
        snprintf(path + len, PATH_MAX - len, "%s%s", path[len - 1] == '/' ? "" : "/", entry);
        find(path, name);
        path[len] = 0;
    }
    close(fd);
    /* LAB util STUB
    (void)path, (void)name, (void)last_name;
    fprintf(2, "find: not written yet\n");
       LAB util END */
}

int main(int argc, char **argv)
{
    static char path[PATH_MAX];
    if (argc != 3 || strlen(argv[1]) >= PATH_MAX) {
        fprintf(2, "usage: find dir name\n");
        exit(1);
    }
    strcpy(path, argv[1]);
    find(path, argv[2]);
    exit(0);
}
