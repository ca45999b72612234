// Written the way xv6 course programs are: the classic include paths and
// the classic user API, nothing rvos-specific but the exit status check.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"

static int fails;
#define EXPECT(c)                                                                                                      \
    do {                                                                                                               \
        if (!(c)) {                                                                                                    \
            printf("FAIL line %d: %s\n", __LINE__, #c);                                                                \
            fails++;                                                                                                   \
        }                                                                                                              \
    } while (0)

int main(void)
{
    char buf[64];
    struct stat st;

    EXPECT(mkdir("/xv6dir") == 0);
    EXPECT(chdir("/xv6dir") == 0);
    int fd = open("f", O_CREATE | O_RDWR);
    EXPECT(fd >= 0);
    EXPECT(write(fd, "hello xv6", 9) == 9);
    EXPECT(fstat(fd, &st) == 0 && st.type == T_FILE && st.size == 9 && st.nlink == 1);
    close(fd);
    EXPECT(link("f", "g") == 0);
    EXPECT(stat("g", &st) == 0 && st.nlink == 2);
    fd = open("g", O_RDONLY);
    memset(buf, 0, sizeof buf);
    EXPECT(read(fd, buf, sizeof buf) == 9 && strcmp(buf, "hello xv6") == 0);
    close(fd);
    EXPECT(unlink("f") == 0 && unlink("g") == 0);

    fd = open(".", O_RDONLY);
    struct dirent de;
    int entries = 0;
    while (read(fd, &de, sizeof de) == sizeof de)
        if (de.inum != 0)
            entries++;
    close(fd);
    EXPECT(entries == 2); // "." and ".."
    EXPECT(chdir("/") == 0 && unlink("/xv6dir") == 0);

    int p[2];
    EXPECT(pipe(p) == 0);
    int pid = fork();
    if (pid == 0) {
        close(p[0]);
        fprintf(p[1], "%d %s %x %c", 42, "str", 255, 'z');
        exit(7);
    }
    close(p[1]);
    memset(buf, 0, sizeof buf);
    int n = read(p[0], buf, sizeof buf);
    EXPECT(n > 0 && strcmp(buf, "42 str ff z") == 0);
    int status;
    EXPECT(wait(&status) == pid && status == 7);

    char *m = malloc(10000);
    EXPECT(m != 0);
    memmove(m, "abc", 4);
    EXPECT(strcmp(m, "abc") == 0 && strlen(m) == 3 && strchr(m, 'b') == m + 1 && atoi("-12") == -12);
    EXPECT(memcmp(m, "abd", 3) < 0);
    free(m);
    EXPECT(uptime() >= 0 && getpid() > 0);
    EXPECT(sleep(1) == 0 && pause(1) == 0);
    EXPECT(kill(12345) < 0);

    printf("xv6_api: %s\n", fails ? "FAILED" : "passed");
    exit(fails ? 1 : 0);
}
