/* struct stat and file types, as the classic xv6 user API defines them. */
#ifndef RVOS_ABI_STAT_H
#define RVOS_ABI_STAT_H
#define T_DIR 1
#define T_FILE 2
#define T_DEVICE 3
#define T_SYMLINK 4 /* a symbolic link: its data is the path it points to (labs/fs) */

struct stat {
    int dev;            /* file system's disk device */
    unsigned int ino;   /* inode number */
    short type;         /* type of file */
    short nlink;        /* number of links to file */
    unsigned long size; /* size of file in bytes */
};
#endif
