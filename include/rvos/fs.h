/* Directory entries, as read() returns them from an open directory, and
 * the file system's name limits. Shared by the kernel and user programs.
 *
 * The layout is the classic xv6 one, so course programs written for it
 * (ls, find, ...) compile and run unchanged: a directory's contents are an
 * array of 16-byte entries. An entry whose inum is 0 is an unused slot;
 * every directory begins with "." (itself) and ".." (its parent). */
#ifndef RVOS_ABI_FS_H
#define RVOS_ABI_FS_H

/* The longest name of one path component. A name of exactly DIRSIZ bytes
 * fills the field and has no terminating NUL. A longer one is cut to its
 * first DIRSIZ bytes wherever a path is accepted, as in the classic
 * kernel: "abcdefghijklmnop" and "abcdefghijklmn" name the same entry. */
#define DIRSIZ 14

struct dirent {
    unsigned short inum; /* inode number; 0: an empty slot */
    char name[DIRSIZ];   /* NUL-padded */
};

#define ROOTINO 1 /* inode number of "/" */
#define CONSOLE 1 /* major device number of the console (mknod) */
/* The largest file, in bytes, in every file system: the classic
 * large-files lab's MAXFILE, 65,803 blocks of 1 KiB (11 direct, 256
 * indirect, 256 * 256 double-indirect), just over 64 MiB. A write past it
 * fails; one that crosses it stops there. (rvfs's own block map reaches
 * exactly that far: kernel/fs/rvfs/rvfs_format.h's RVFS_MAXFILE.) */
#define FS_MAXFILE_BYTES (65803UL * 1024)

#endif
