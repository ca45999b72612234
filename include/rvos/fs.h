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

/* The RAM file system's block map, in the classic names. A block is one
 * 4 KiB frame. A file reaches its blocks through NDIRECT direct pointers,
 * then one indirect table of NINDIRECT pointers (8 bytes each), then one
 * double-indirect table of NINDIRECT such tables (as in the classic
 * large-files lab): NDINDIRECT blocks more.
 *
 * MAXFILE keeps the classic formula, NDIRECT + NINDIRECT: the blocks a
 * file reaches without the double-indirect table, 2 MiB + 48 KiB. Course
 * programs write MAXFILE blocks and expect that to work (usertests'
 * writebig), which a file system in RAM can promise for 2 MiB but not for
 * the 1 GiB the double-indirect table reaches. A file may grow past
 * MAXFILE, up to MAXFILE + NDINDIRECT blocks or until memory runs out. */
#define BSIZE 4096
#define NDIRECT 12
#define NINDIRECT (BSIZE / 8)
#define NDINDIRECT (NINDIRECT * NINDIRECT)
#define MAXFILE (NDIRECT + NINDIRECT)

#endif
